package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// adminWorld is the sandbox GitHub for the commands an org admin runs
// (branchprotector, label-sync), and a directory for their files.
type adminWorld struct {
	t   *testing.T
	url string
	dir string
	// token is the path of admin's token file.
	token string
}

// newAdminWorld serves the sandbox seeded with s, whose user admin (token
// admin-token) it makes an admin of demo, until the test ends.
func newAdminWorld(t *testing.T, s *sandbox.Seed) *adminWorld {
	t.Helper()
	s.Orgs[0].Admins = []string{"admin"}
	_, ts := seed.Serve(t, s)
	w := &adminWorld{t: t, url: ts.URL, dir: t.TempDir()}
	w.token = w.write("token", "admin-token")
	return w
}

// write writes the file name of the world's directory and returns its path.
func (w *adminWorld) write(name, text string) string {
	w.t.Helper()
	p := filepath.Join(w.dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// runCommand runs cmd with args and returns what it wrote to its output
// and error streams, together, and its error.
func runCommand(cmd *cobra.Command, args ...string) (string, error) {
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}
