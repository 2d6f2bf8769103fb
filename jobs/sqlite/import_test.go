package sqlite

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestImportKeepsRecordsAndSkipsTakenNames(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "jobs.db"))
	pjs := []*prowapi.ProwJob{finished(1), finished(2), finished(3)}
	if n, err := s.Import(ctx, pjs); err != nil || n != 3 {
		t.Fatalf("import: %d, %v", n, err)
	}
	if n, err := s.Import(ctx, append(pjs, finished(4))); err != nil || n != 1 {
		t.Fatalf("repeated import added %d (want only the new one), %v", n, err)
	}
	got, err := s.Get(ctx, pjs[1].Name)
	if err != nil || got.Status.State != pjs[1].Status.State || got.Status.BuildID != pjs[1].Status.BuildID {
		t.Fatalf("imported job reads back as %+v, %v", got, err)
	}
	l, err := s.List(ctx, jobs.Filter{}, jobs.Page{Limit: 10})
	if err != nil || len(l.Items) != 4 || l.Items[0].Name != finished(4).Name {
		t.Fatalf("list after import: %v", err)
	}
	created, err := s.Create(ctx, &prowapi.ProwJob{ObjectMeta: finished(9).ObjectMeta, Spec: finished(9).Spec})
	if err != nil || atoi(created.ResourceVersion) <= atoi(got.ResourceVersion) {
		t.Fatalf("a job created after the import has version %s (imported %s): %v", created.ResourceVersion, got.ResourceVersion, err)
	}
	bad := finished(5)
	bad.Name = ""
	if _, err := s.Import(ctx, []*prowapi.ProwJob{finished(6), bad}); err == nil {
		t.Fatal("a job without a name was imported")
	}
	if _, err := s.Get(ctx, finished(6).Name); err == nil {
		t.Fatal("a failed import left part of its jobs")
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
