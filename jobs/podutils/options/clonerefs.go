package options

import (
	"errors"
	"fmt"

	"github.com/prowbot/prow/jobs/clone"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// CloneRefs are the options of clonerefs: Prow's clonerefs.Options.
type CloneRefs struct {
	// SrcRoot is the directory the refs are cloned below (as
	// <src_root>/src/<path_alias or host/org/repo>).
	SrcRoot string `json:"src_root"`
	// Log is the file the clone records are written to.
	Log string `json:"log"`

	// GitUserName and GitUserEmail make the merge commits.
	GitUserName  string `json:"git_user_name,omitempty"`
	GitUserEmail string `json:"git_user_email,omitempty"`

	// Refs are cloned in order; the first is the job's main refs.
	Refs []prowapi.Refs `json:"refs"`

	// KeyFiles are SSH private keys, or directories of them, for
	// cloning over SSH.
	KeyFiles []string `json:"key_files,omitempty"`
	// OauthTokenFile holds a token for cloning over HTTPS.
	OauthTokenFile string `json:"oauth_token_file,omitempty"`
	// HostFingerprints are known_hosts lines for the SSH hosts.
	HostFingerprints []string `json:"host_fingerprints,omitempty"`

	// MaxParallelWorkers bounds how many refs are cloned at once; 0
	// clones them all at once.
	MaxParallelWorkers int `json:"max_parallel_workers,omitempty"`
	// Fail makes clonerefs exit non-zero when a clone failed. Decorated
	// pods leave it unset: initupload reads the records and fails the
	// pod after uploading them.
	Fail bool `json:"fail,omitempty"`

	// CookiePath is a git http.cookiefile.
	CookiePath string `json:"cookie_path,omitempty"`

	GitHubAPIEndpoints      []string `json:"github_api_endpoints,omitempty"`
	GitHubAppID             string   `json:"github_app_id,omitempty"`
	GitHubAppPrivateKeyFile string   `json:"github_app_private_key_file,omitempty"`
}

// Validate checks that the options say what to clone where, that no two
// refs of the same repository go to the same directory, and that at
// most one way to authenticate is set.
func (o CloneRefs) Validate() error {
	var errs []error
	if o.SrcRoot == "" {
		errs = append(errs, errors.New("no source root (src_root)"))
	}
	if o.Log == "" {
		errs = append(errs, errors.New("no file for the clone records (log)"))
	}
	if len(o.Refs) == 0 {
		errs = append(errs, errors.New("no refs to clone"))
	}
	if o.MaxParallelWorkers < 0 {
		errs = append(errs, fmt.Errorf("max_parallel_workers %d is negative", o.MaxParallelWorkers))
	}
	errs = append(errs, o.validateDirs()...)
	errs = append(errs, o.validateAuth()...)
	return errors.Join(errs...)
}

// validateDirs refuses two refs of one repository cloned into the same
// directory (refs of different repositories may share one, as in Prow).
func (o CloneRefs) validateDirs() []error {
	var errs []error
	var cloner clone.Cloner
	seen := map[string]prowapi.Refs{}
	for _, r := range o.Refs {
		dir := cloner.Dir(o.SrcRoot, r)
		if prev, ok := seen[dir]; ok && prev.Org == r.Org && prev.Repo == r.Repo {
			errs = append(errs, fmt.Errorf("refs %s are cloned twice into %s", r.OrgRepoString(), dir))
		}
		seen[dir] = r
	}
	return errs
}

func (o CloneRefs) validateAuth() []error {
	var errs []error
	app := o.GitHubAppID != "" || o.GitHubAppPrivateKeyFile != ""
	if app && o.OauthTokenFile != "" {
		errs = append(errs, errors.New("both an OAuth token and a GitHub App are set: choose one"))
	}
	if app && len(o.GitHubAPIEndpoints) == 0 {
		errs = append(errs, errors.New("a GitHub App needs github_api_endpoints"))
	}
	if o.GitHubAppID != "" && o.GitHubAppPrivateKeyFile == "" {
		errs = append(errs, errors.New("github_app_id is set without github_app_private_key_file"))
	}
	if o.GitHubAppID == "" && o.GitHubAppPrivateKeyFile != "" {
		errs = append(errs, errors.New("github_app_private_key_file is set without github_app_id"))
	}
	return errs
}
