package local

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/prowbot/prow/jobs/container"
)

// containerJob is what the container runner needs of the run: the image
// of the job's first container, the command, its environment and the
// directories it sees.
func (rn *run) containerJob(spec execSpec) container.Job {
	image := ""
	if ps := rn.pj.Spec.PodSpec; ps != nil && len(ps.Containers) > 0 {
		image = ps.Containers[0].Image
	}
	return container.Job{RunsDir: rn.r.opts.WorkDir, Name: rn.pj.Name, Image: image, Argv: spec.argv, Env: spec.env,
		Work: spec.dir, Writable: []string{filepath.Join(rn.dir, codeDir), filepath.Join(rn.dir, artifactsDir)}}
}

// removeContainer removes the run's container once podman's client is
// gone: a client killed at the end of the grace period, or by a shutdown,
// leaves its container running.
func (rn *run) removeContainer(log io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rn.r.opts.Container.Remove(ctx, rn.r.opts.WorkDir, rn.pj.Name); err != nil {
		_, _ = fmt.Fprintf(log, "%v\n", err)
	}
}
