package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// crashChild names the file a child process writes to until killed.
const crashChild = "PROWBOT_SQLITE_CRASH_CHILD"

// TestWritesSurviveSIGKILL runs a child that creates and updates jobs,
// printing each one after Update returns, kills it with SIGKILL
// mid-stream and checks every printed write is in the reopened file.
func TestWritesSurviveSIGKILL(t *testing.T) {
	if path := os.Getenv(crashChild); path != "" {
		writeUntilKilled(path)
		return
	}
	path := filepath.Join(t.TempDir(), "jobs.db")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestWritesSurviveSIGKILL$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChild+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	written := map[string]string{}
	lines := bufio.NewScanner(out)
	for len(written) < 300 && lines.Scan() {
		rest, ok := strings.CutPrefix(lines.Text(), "wrote ")
		if name, version, ok2 := strings.Cut(rest, " "); ok && ok2 {
			written[name] = version
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill the writer: %v", err)
	}
	_ = cmd.Wait() // killed, so an error
	if len(written) < 300 {
		t.Fatalf("the writer stopped after %d writes", len(written))
	}
	s := open(t, path)
	for name, version := range written {
		pj, err := s.Get(t.Context(), name)
		if err != nil {
			t.Fatalf("a returned write was lost: %v", err)
		}
		if pj.ResourceVersion != version || pj.Status.State != prowapi.SuccessState {
			t.Errorf("job %s is %s at version %s, want success at %s", name, pj.Status.State, pj.ResourceVersion, version)
		}
	}
}

// writeUntilKilled is the child: it writes until killed (or a bound).
func writeUntilKilled(path string) {
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := range 1_000_000 {
		pj, err := s.Create(ctx, presubmit(fmt.Sprintf("job-%07d", i), time.Now(), prowapi.PendingState))
		if err == nil {
			pj.Status.State = prowapi.SuccessState
			pj, err = s.Update(ctx, pj)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("wrote %s %s\n", pj.Name, pj.ResourceVersion)
	}
	os.Exit(0)
}
