package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
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

func TestAJobStoreOfSchema2GainsTheTideHistoryAndClusters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jobs.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, cluster := range map[string]string{"on-build-2": "build-2", "on-default": ""} {
		pj := &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: prowapi.ProwJobSpec{Job: "unit", Cluster: cluster}}
		if _, err := s.Create(ctx, pj); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Take the file back to schema 2, as an older build left it.
	execSQL(t, path, `DROP TABLE tide_history; DROP INDEX jobs_by_cluster; ALTER TABLE jobs DROP COLUMN cluster;
		DELETE FROM schema_version WHERE version >= 3`)
	s = open(t, path)
	if err := s.AppendTideHistory(ctx, "org/repo:main", []byte("r"), 500); err != nil {
		t.Fatalf("append after migrating: %v", err)
	}
	for cluster, want := range map[string]string{"build-2": "on-build-2", prowapi.DefaultClusterAlias: "on-default"} {
		l, err := s.List(ctx, jobs.Filter{Cluster: cluster}, jobs.Page{})
		if err != nil || len(l.Items) != 1 || l.Items[0].Name != want {
			t.Errorf("cluster %s after migrating: %v %+v", cluster, err, l)
		}
	}
}
