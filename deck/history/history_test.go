package history_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/prowbot/prow/deck/history"
	"github.com/prowbot/prow/prow/storage"
)

func bucket(t *testing.T) *storage.Local {
	t.Helper()
	b, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func write(t *testing.T, b storage.Bucket, name, content string) {
	t.Helper()
	if _, err := b.Write(context.Background(), name, strings.NewReader(content), storage.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestReadPages(t *testing.T) {
	b := bucket(t)
	// IDs of different lengths sort as numbers: 99 < 100.
	for id := 95; id < 140; id++ {
		write(t, b, fmt.Sprintf("logs/j/%d/started.json", id), fmt.Sprintf(`{"timestamp":%d}`, id))
	}
	write(t, b, "logs/j/latest-build.txt", "130\n")
	write(t, b, "logs/j/not-a-build/x", "x")
	tests := []struct {
		name, top    string
		first, last  string
		newer, older string
		n            int
	}{
		{"starts at latest-build.txt", "", "130", "111", "139", "110", 20},
		{"pages down", "120", "120", "101", "139", "100", 20},
		{"the last page orders 99 after 100", "100", "100", "95", "120", "", 6},
		{"a newer build than latest", "139", "139", "120", "", "119", 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := history.Read(context.Background(), b, "logs/j", tc.top)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Builds) != tc.n || p.Builds[0].ID != tc.first || p.Builds[len(p.Builds)-1].ID != tc.last || p.Newer != tc.newer || p.Older != tc.older || p.Total != 45 {
				t.Errorf("page %d builds %s..%s newer %q older %q total %d", len(p.Builds), p.Builds[0].ID, p.Builds[len(p.Builds)-1].ID, p.Newer, p.Older, p.Total)
			}
			if p.Builds[0].State() != "pending" || p.Builds[0].Start().IsZero() {
				t.Errorf("build %+v", p.Builds[0])
			}
		})
	}
	if _, err := history.Read(context.Background(), b, "logs/j", "abc"); err == nil {
		t.Error("a bad build ID was accepted")
	}
	if _, err := history.Read(context.Background(), b, "logs/../x", ""); err == nil {
		t.Error("a bad directory was accepted")
	}
}

func TestAliases(t *testing.T) {
	b := bucket(t)
	write(t, b, "pr-logs/pull/o_r/1/j/5/finished.json", `{"passed":true,"result":"SUCCESS"}`)
	write(t, b, "pr-logs/directory/j/5.txt", b.URL("pr-logs/pull/o_r/1/j/5"))
	write(t, b, "pr-logs/directory/j/6.txt", "gs://someone-else/pr-logs/pull/o_r/2/j/6")
	write(t, b, "pr-logs/directory/j/7.txt", b.URL("")+"/../../etc")
	p, err := history.Read(context.Background(), b, "pr-logs/directory/j", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Builds) != 3 {
		t.Fatalf("builds %+v", p.Builds)
	}
	b7, b6, b5 := p.Builds[0], p.Builds[1], p.Builds[2]
	if b5.Dir != "pr-logs/pull/o_r/1/j/5" || b5.State() != "success" {
		t.Errorf("alias 5: %+v", b5)
	}
	if b6.Dir != "" || b6.Err == "" || b7.Dir != "" || b7.Err == "" {
		t.Errorf("aliases out of the bucket were followed: %+v %+v", b6, b7)
	}
}
