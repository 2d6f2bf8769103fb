package clone

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// maxOutput bounds the output recorded of one command.
const maxOutput = 64 << 10

// userInfo matches the user info of URLs, which may hold a token.
var userInfo = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]+@`)

// gitRun is one clone in progress: where, from where, with what
// environment, and what it did so far.
type gitRun struct {
	dir, url string
	env      []string
	// secrets are censored from every recorded command and output.
	secrets  []string
	commands []Command
}

// git runs a recorded git command with extra environment variables and
// reports whether it succeeded.
func (g *gitRun) git(ctx context.Context, env []string, args ...string) bool {
	start := time.Now()
	cmd := g.command(ctx, env, args)
	out := &capped{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	err := cmd.Run()
	c := Command{Command: g.censor("git " + strings.Join(args, " ")), Output: g.censor(out.String()), Duration: time.Since(start)}
	if err != nil {
		c.Error = g.censor(err.Error())
	}
	g.commands = append(g.commands, c)
	return err == nil
}

// quiet runs a git command that is not recorded and returns its trimmed
// standard output.
func (g *gitRun) quiet(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := g.command(ctx, env, args)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

func (g *gitRun) command(ctx context.Context, env, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = g.dir
	cmd.Env = append(g.env[:len(g.env):len(g.env)], env...)
	return cmd
}

// censor hides the credentials in s.
func (g *gitRun) censor(s string) string {
	for _, secret := range g.secrets {
		s = strings.ReplaceAll(s, secret, "CENSORED")
	}
	return censorURLs(s)
}

// censorURLs hides the user info of the URLs in s.
func censorURLs(s string) string {
	return userInfo.ReplaceAllString(s, "${1}CENSORED@")
}

// capped keeps the first max bytes written to it.
type capped struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (c *capped) Write(p []byte) (int, error) {
	keep := p
	if room := max(c.max-c.buf.Len(), 0); len(p) > room {
		keep, c.truncated = p[:room], true
	}
	c.buf.Write(keep)
	return len(p), nil
}

func (c *capped) String() string {
	if c.truncated {
		return c.buf.String() + "\n[output truncated]\n"
	}
	return c.buf.String()
}
