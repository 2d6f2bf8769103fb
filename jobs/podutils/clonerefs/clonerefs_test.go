package clonerefs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/harness"
)

// git runs git in dir (harness.Git).
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return harness.Git(t, dir, args...)
}

// bareRepo makes a bare repository with a commit on main and a pull
// request (refs/pull/1/head) adding a file; it returns its path and the
// base and pull request SHAs.
func bareRepo(t *testing.T) (string, string, string) {
	t.Helper()
	bare, work, base := harness.BareRepo(t, "origin.git")
	git(t, work, "checkout", "-b", "feature")
	if err := os.WriteFile(filepath.Join(work, "feature.txt"), []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, work, "add", ".")
	git(t, work, "commit", "-m", "feature")
	head := git(t, work, "rev-parse", "HEAD")
	git(t, work, "push", bare, "feature:refs/pull/1/head")
	return bare, base, head
}

func readRecords(t *testing.T, file string) []clone.Record {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var recs []clone.Record
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestClonerefsRun(t *testing.T) {
	bare, base, head := bareRepo(t)
	main := prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: base, CloneURI: bare,
		Pulls: []prowapi.Pull{{Number: 1, SHA: head}}}
	aliased := prowapi.Refs{Org: "other", Repo: "tool", BaseRef: "main", CloneURI: bare, PathAlias: "example.com/tool"}
	missing := prowapi.Refs{Org: "org", Repo: "gone", BaseRef: "no-such-branch", CloneURI: bare}
	for _, tc := range []struct {
		name    string
		opts    func(o *options.CloneRefs, dir string)
		wantErr string
		check   func(t *testing.T, root string, recs []clone.Record)
	}{
		{
			name: "refs and extra refs are cloned, two at a time at most",
			opts: func(o *options.CloneRefs, _ string) {
				o.Refs, o.MaxParallelWorkers = []prowapi.Refs{main, aliased, missing}, 2
			},
			check: func(t *testing.T, root string, recs []clone.Record) {
				if len(recs) != 3 || recs[0].Failed || recs[1].Failed || !recs[2].Failed {
					t.Fatalf("records: %+v", recs)
				}
				if _, err := os.Stat(filepath.Join(root, "src", "github.com", "org", "repo", "feature.txt")); err != nil {
					t.Errorf("the pull request is not merged: %v", err)
				}
				if _, err := os.Stat(filepath.Join(root, "src", "example.com", "tool", "README.md")); err != nil {
					t.Errorf("the extra refs are not at their alias: %v", err)
				}
				if recs[0].Refs.Repo != "repo" || recs[2].Refs.Repo != "gone" {
					t.Errorf("the records are not in the order of the refs: %+v", recs)
				}
			},
		},
		{
			name:    "a failed clone fails the run with fail set, the records still written",
			opts:    func(o *options.CloneRefs, _ string) { o.Refs, o.Fail = []prowapi.Refs{missing}, true },
			wantErr: "no-such-branch",
			check: func(t *testing.T, _ string, recs []clone.Record) {
				if len(recs) != 1 || !recs[0].Failed {
					t.Errorf("records: %+v", recs)
				}
			},
		},
		{
			name: "an unreadable OAuth token fails every refs with a record saying why",
			opts: func(o *options.CloneRefs, dir string) {
				o.Refs, o.OauthTokenFile = []prowapi.Refs{main, aliased}, filepath.Join(dir, "missing-token")
			},
			check: func(t *testing.T, _ string, recs []clone.Record) {
				for _, r := range recs {
					if !r.Failed || len(r.Commands) != 1 || !strings.Contains(r.Commands[0].Error, "missing-token") {
						t.Errorf("record: %+v", r)
					}
				}
			},
		},
		{
			name: "a GitHub App is refused in the records",
			opts: func(o *options.CloneRefs, _ string) {
				o.Refs, o.GitHubAppID, o.GitHubAppPrivateKeyFile, o.GitHubAPIEndpoints = []prowapi.Refs{main}, "1", "/key", []string{"http://x"}
			},
			check: func(t *testing.T, _ string, recs []clone.Record) {
				if !recs[0].Failed || !strings.Contains(clone.FormatRecords(recs), "not supported") {
					t.Errorf("clone log:\n%s", clone.FormatRecords(recs))
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			o := options.CloneRefs{SrcRoot: filepath.Join(dir, "go"), Log: filepath.Join(dir, "clone.json")}
			tc.opts(&o, dir)
			if err := o.Validate(); err != nil {
				t.Fatal(err)
			}
			recs, err := Run(t.Context(), o, logrus.NewEntry(logrus.New()))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			written := readRecords(t, o.Log)
			if len(written) != len(recs) {
				t.Errorf("%d records written, %d returned", len(written), len(recs))
			}
			tc.check(t, o.SrcRoot, written)
		})
	}
}

func TestClonerefsSSHCommand(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	for _, p := range []string{filepath.Join(secret, "..data"), filepath.Join(secret, "..2026_01_01")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(secret, "id_rsa"), filepath.Join(secret, "..2026_01_01", "id_rsa"), filepath.Join(dir, "it's a key")} {
		if err := os.WriteFile(f, []byte("key"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name         string
		keys, hosts  []string
		want, absent []string
	}{
		{
			name: "keys in a mounted secret, without Kubernetes' own files", keys: []string{secret},
			want: []string{"ssh -o IdentitiesOnly=yes -i '" + filepath.Join(secret, "id_rsa") + "'"}, absent: []string{"..", "known_hosts"},
		},
		{
			name: "a key file whose name needs quoting", keys: []string{filepath.Join(dir, "it's a key")},
			want: []string{`-i '` + dir + `/it'\''s a key'`},
		},
		{
			name: "host fingerprints make a strict known_hosts", hosts: []string{"github.com ssh-ed25519 AAAA"},
			want: []string{"UserKnownHostsFile='" + filepath.Join(dir, "known_hosts") + "'", "StrictHostKeyChecking=yes"}, absent: []string{"-i"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sshCommand(tc.keys, tc.hosts, dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s does not contain %s", got, w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(got, a) {
					t.Errorf("%s contains %s", got, a)
				}
			}
		})
	}
	if _, err := sshCommand([]string{filepath.Join(dir, "missing")}, nil, dir); err == nil {
		t.Error("a missing key should be an error")
	}
}
