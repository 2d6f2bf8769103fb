package local

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// helperEnv makes the test binary act as a process running a runner.
const helperEnv = "LOCAL_RUNNER_DEATHSIG_HELPER_DIR"

func TestAJobDiesWithTheProcessRunningIt(t *testing.T) {
	if dir := os.Getenv(helperEnv); dir != "" {
		runHelper(t, dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAJobDiesWithTheProcessRunningIt$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if p, ok := strings.CutPrefix(sc.Text(), "job pid "); ok {
			pid, _ = strconv.Atoi(p)
			break
		}
	}
	if pid == 0 {
		_ = cmd.Process.Kill()
		t.Fatalf("the helper did not start a job: %v", cmd.Wait())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitGone(t, pid)
}

// runHelper starts a job that would run for long, says its PID and
// waits to be killed.
func runHelper(t *testing.T, dir string) {
	r, err := New(Options{WorkDir: dir + "/work", Buckets: storage.NewOpener(storage.GCSOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Type: prowapi.PeriodicJob, Job: "hang",
		PodSpec:          &corev1.PodSpec{Containers: []corev1.Container{{Command: []string{"sleep", "100"}}}},
		DecorationConfig: &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + dir + "/bucket"}}}}
	pj.Name, pj.Status.BuildID = "hang", "1"
	if err := r.Start(context.Background(), pj); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t}
	s := e.waitRunning(r, pj)
	fmt.Printf("job pid %d\n", s.PID)
	<-time.After(time.Minute) // the parent kills this process long before
}
