package containertest

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/container"
)

// Image is the test image: /bin/busybox and its applets.
const Image = "localhost/prowbot-test-busybox:2"

// applets are the busybox commands the image links in /bin.
func applets() []string {
	return []string{"sh", "echo", "cat", "ls", "id", "sleep", "touch", "ps", "mkdir", "rm", "wc", "grep", "test", "true", "false", "env", "kill", "cp", "wget", "nc", "ip", "ifconfig", "cut", "head", "tr", "dirname", "basename"}
}

// Options are the container options for this machine (the runtime
// Probe chose); the test skips when podman is not installed and fails
// when it does not work.
func Options(t testing.TB) container.Options {
	t.Helper()
	if _, err := exec.LookPath("podman"); err != nil {
		t.Skip("podman is not installed (make container-tools installs it): the container runner cannot be tested")
	}
	p := &container.Prober{}
	f := p.Probe(context.Background())
	if f.Err != nil {
		t.Fatalf("podman does not work here: %v", f.Err)
	}
	o := container.Options{Podman: f.Podman, Runtime: f.Runtime, Ulimits: f.Ulimits}
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	return o
}

// BusyboxImage makes Image when it is missing and returns its name.
func BusyboxImage(t testing.TB, o container.Options) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if exec.CommandContext(ctx, o.Podman, "image", "exists", Image).Run() == nil {
		return Image
	}
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Fatalf("busybox is not installed (Debian package busybox-static, make container-tools): %v", err)
	}
	bin, err := os.ReadFile(bb)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range []string{"bin/", "tmp/", "etc/"} {
		must(t, tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755}))
	}
	must(t, tw.WriteHeader(&tar.Header{Name: "bin/busybox", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(bin))}))
	_, err = tw.Write(bin)
	must(t, err)
	for _, a := range applets() {
		must(t, tw.WriteHeader(&tar.Header{Name: "bin/" + a, Typeflag: tar.TypeSymlink, Linkname: "busybox", Mode: 0o777}))
	}
	must(t, tw.Close())
	path := filepath.Join(t.TempDir(), "rootfs.tar")
	must(t, os.WriteFile(path, buf.Bytes(), 0o644))
	if out, err := exec.CommandContext(ctx, o.Podman, "import", "--quiet", "--change", "ENV PATH=/bin", path, Image).CombinedOutput(); err != nil {
		t.Fatalf("podman import %s: %v: %s", Image, err, out)
	}
	return Image
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
