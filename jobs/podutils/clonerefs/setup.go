package clonerefs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/podutils/options"
)

// oauthUser is the user name sent with an OAuth token; GitHub reads the
// token and ignores the name.
const oauthUser = "x-access-token"

// prepare makes the cloner of o: its identity, environment and
// credentials. The commands record the steps, the failed one last.
func prepare(o options.CloneRefs, tmp string) (*clone.Cloner, []clone.Command, error) {
	c := &clone.Cloner{UserName: o.GitUserName, UserEmail: o.GitUserEmail}
	var cmds []clone.Command
	step := func(what string, f func() error) error {
		start := time.Now()
		err := f()
		cmd := clone.Command{Command: what, Duration: time.Since(start)}
		if err != nil {
			cmd.Error = err.Error()
		}
		cmds = append(cmds, cmd)
		return err
	}
	if o.GitHubAppID != "" {
		err := errors.New("GitHub App credentials (github_app_id) are not supported by prow clonerefs: use oauth_token_file")
		_ = step("# authenticate as GitHub App "+o.GitHubAppID, func() error { return err })
		return nil, cmds, err
	}
	if o.OauthTokenFile != "" {
		var token string
		if err := step("# read the OAuth token in "+o.OauthTokenFile, func() (err error) {
			token, err = readToken(o.OauthTokenFile)
			return err
		}); err != nil {
			return nil, cmds, err
		}
		c.Credentials = func(context.Context, string) (string, string, error) { return oauthUser, token, nil }
	}
	if len(o.KeyFiles) > 0 || len(o.HostFingerprints) > 0 {
		var ssh string
		if err := step("# set up ssh with the keys in "+strings.Join(o.KeyFiles, ", "), func() (err error) {
			ssh, err = sshCommand(o.KeyFiles, o.HostFingerprints, tmp)
			return err
		}); err != nil {
			return nil, cmds, err
		}
		c.Env = append(c.Env, "GIT_SSH_COMMAND="+ssh)
	}
	if o.CookiePath != "" {
		c.Env = append(c.Env, "GIT_CONFIG_PARAMETERS="+shellQuote("http.cookiefile")+"="+shellQuote(o.CookiePath))
	}
	return c, cmds, nil
}

func readToken(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read the OAuth token: %w", err)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("the OAuth token file %s is empty", file)
	}
	return token, nil
}

// sshCommand is the GIT_SSH_COMMAND that uses only the given keys and,
// when there are fingerprints, a known_hosts file of them made in tmp.
func sshCommand(keyPaths, fingerprints []string, tmp string) (string, error) {
	keys, err := findKeys(keyPaths)
	if err != nil {
		return "", err
	}
	args := []string{"ssh"}
	if len(keys) > 0 {
		args = append(args, "-o", "IdentitiesOnly=yes")
		for _, k := range keys {
			args = append(args, "-i", shellQuote(k))
		}
	}
	if len(fingerprints) > 0 {
		known := filepath.Join(tmp, "known_hosts")
		if err := os.WriteFile(known, []byte(strings.Join(fingerprints, "\n")+"\n"), 0o600); err != nil {
			return "", fmt.Errorf("write the known SSH hosts: %w", err)
		}
		args = append(args, "-o", "UserKnownHostsFile="+shellQuote(known), "-o", "StrictHostKeyChecking=yes")
	}
	return strings.Join(args, " "), nil
}

// findKeys lists the key files: each path, or the files in it when it is
// a directory (a mounted secret), leaving out the ..data links
// Kubernetes adds.
func findKeys(paths []string) ([]string, error) {
	var keys []string
	for _, root := range paths {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), "..") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				keys = append(keys, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find the SSH keys in %s: %w", root, err)
		}
	}
	return keys, nil
}

// shellQuote quotes s for a POSIX shell (GIT_SSH_COMMAND is run by one).
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
