package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

func TestTideHistoryKeepsTheLatestRecordsOfEachPoolAcrossReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jobs.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		if err := s.AppendTideHistory(ctx, "org/repo:main", fmt.Appendf(nil, "record %d", i), 5); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AppendTideHistory(ctx, "org/other:dev", []byte("other"), 5); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	got, err := s.TideHistory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	main := got["org/repo:main"]
	if len(main) != 5 || string(main[0]) != "record 2" || string(main[4]) != "record 6" || len(got["org/other:dev"]) != 1 {
		t.Errorf("history: %q", got)
	}
}

func TestAJobStoreOfSchema2GainsTheTideHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Take the file back to schema 2, as an older build left it.
	execSQL(t, path, "DROP TABLE tide_history; DELETE FROM schema_version WHERE version = 3")
	s = open(t, path)
	if err := s.AppendTideHistory(context.Background(), "org/repo:main", []byte("r"), 500); err != nil {
		t.Fatalf("append after migrating: %v", err)
	}
}
