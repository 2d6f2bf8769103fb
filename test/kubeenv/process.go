package kubeenv

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// process is one component of the control plane, started by this package
// and stopped by its PID.
type process struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	log     *os.File
	done    chan struct{} // closed once the process has exited
	err     error         // how it exited, once done is closed
}

// exited reports whether the process has ended, and how.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// exitError is the error to report when the process ended early.
func (p *process) exitError() error {
	ended, err := p.exited()
	switch {
	case !ended:
		return nil
	case err == nil:
		return fmt.Errorf("%s exited early with status 0; its log is %s", p.name, p.logPath)
	default:
		return fmt.Errorf("%s exited early (%w); its log is %s", p.name, err, p.logPath)
	}
}

// kill ends the process with SIGKILL and waits for it: the control plane
// keeps nothing worth a graceful shutdown.
func (p *process) kill() {
	if ended, _ := p.exited(); !ended {
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	_ = p.log.Close()
}

// launcher starts processes from one goroutine locked to its OS thread.
// Linux sends a child its parent-death signal when the thread that forked it
// exits, and the Go runtime ends a thread only when a goroutine locked to it
// returns: starting every child from this thread, which lives as long as the
// control plane, means the children die with the test binary and not before.
type launcher struct {
	requests chan func()
	stopped  chan struct{}
}

func newLauncher() *launcher {
	l := &launcher{requests: make(chan func()), stopped: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		// Never unlocked: when this goroutine returns the thread ends, and
		// with it any child still running.
		close(ready)
		for {
			select {
			case f := <-l.requests:
				f()
			case <-l.stopped:
				return
			}
		}
	}()
	<-ready
	return l
}

// stop ends the launcher's thread; call it after the children are gone.
func (l *launcher) stop() { close(l.stopped) }

// start runs bin with args, its output going to dir/name.log.
func (l *launcher) start(dir, name, bin string, args, env []string) (*process, error) {
	logPath := filepath.Join(dir, name+".log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create log of %s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = sysProcAttr()
	_, _ = fmt.Fprintf(log, "# %s %s\n", bin, strings.Join(args, " "))

	errc := make(chan error, 1)
	l.requests <- func() { errc <- cmd.Start() }
	if err := <-errc; err != nil {
		_ = log.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, logPath: logPath, log: log, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// freePorts returns n distinct TCP ports free on 127.0.0.1 at the moment.
// Another process can take one before the component binds it; ports come
// from the kernel's ephemeral range, so that is rare.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		defer func() { _ = l.Close() }()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	defer func() { _ = f.Close() }()
	// The last 64 KiB hold the lines that matter.
	const window = 64 << 10
	if info, err := f.Stat(); err == nil && info.Size() > window {
		if _, err := f.Seek(info.Size()-window, io.SeekStart); err != nil {
			return fmt.Sprintf("(%v)", err)
		}
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
