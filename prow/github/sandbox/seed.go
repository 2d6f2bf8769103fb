package sandbox

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

// Seed is the starting world.
type Seed struct {
	Users  []SeedUser  `json:"users"`
	Orgs   []SeedOrg   `json:"orgs,omitempty"`
	Repos  []SeedRepo  `json:"repos,omitempty"`
	Pulls  []SeedPull  `json:"pulls,omitempty"`
	Issues []SeedIssue `json:"issues,omitempty"`
}

// SeedUser is a user; Token authenticates requests as them.
type SeedUser struct {
	Login string `json:"login"`
	Token string `json:"token,omitempty"`
	Name  string `json:"name,omitempty"`
	Bot   bool   `json:"bot,omitempty"`
}

// SeedOrg is an organization with members and teams.
type SeedOrg struct {
	Login   string     `json:"login"`
	Members []string   `json:"members,omitempty"`
	Admins  []string   `json:"admins,omitempty"`
	Teams   []SeedTeam `json:"teams,omitempty"`
}

// SeedTeam is a team of an org.
type SeedTeam struct {
	Slug    string   `json:"slug"`
	Name    string   `json:"name,omitempty"`
	Members []string `json:"members,omitempty"`
}

// SeedRepo is a repository ("org/name") with its collaborators, labels and
// the files of its default branch.
type SeedRepo struct {
	Name          string            `json:"name"`
	DefaultBranch string            `json:"default_branch,omitempty"`
	Private       bool              `json:"private,omitempty"`
	Collaborators map[string]string `json:"collaborators,omitempty"` // login -> admin|maintain|write|triage|read
	Labels        []SeedLabel       `json:"labels,omitempty"`
	Files         map[string]string `json:"files,omitempty"`
}

// SeedLabel is a repository label.
type SeedLabel struct {
	Name        string `json:"name"`
	Color       string `json:"color,omitempty"`
	Description string `json:"description,omitempty"`
}

// SeedPull is a pull request: Files are its changes to the base branch
// (an empty string deletes a file).
type SeedPull struct {
	Repo      string            `json:"repo"`
	Number    int               `json:"number,omitempty"`
	Title     string            `json:"title"`
	Body      string            `json:"body,omitempty"`
	Author    string            `json:"author"`
	Base      string            `json:"base,omitempty"`
	Head      string            `json:"head,omitempty"`
	Draft     bool              `json:"draft,omitempty"`
	Labels    []string          `json:"labels,omitempty"`
	Assignees []string          `json:"assignees,omitempty"`
	Files     map[string]string `json:"files,omitempty"`
}

// SeedIssue is an issue.
type SeedIssue struct {
	Repo      string   `json:"repo"`
	Number    int      `json:"number,omitempty"`
	Title     string   `json:"title"`
	Body      string   `json:"body,omitempty"`
	Author    string   `json:"author"`
	Labels    []string `json:"labels,omitempty"`
	Assignees []string `json:"assignees,omitempty"`
}

// LoadSeed reads a seed file.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sandbox seed: %w", err)
	}
	var s Seed
	if err := yaml.UnmarshalStrict(data, &s); err != nil {
		return nil, fmt.Errorf("sandbox seed %s: %w", path, err)
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("sandbox seed %s: %w", path, err)
	}
	return &s, nil
}

// Validate checks that everything the seed names exists.
func (s *Seed) Validate() error {
	var errs []error
	users := map[string]bool{}
	for _, u := range s.Users {
		if u.Login == "" {
			errs = append(errs, errors.New("a user has no login"))
		}
		users[strings.ToLower(u.Login)] = true
	}
	need := func(where, login string) {
		if !users[strings.ToLower(login)] {
			errs = append(errs, fmt.Errorf("%s: unknown user %q", where, login))
		}
	}
	orgs := s.validateOrgs(need)
	repos := map[string]bool{}
	for _, r := range s.Repos {
		if err := validateRepo(r, orgs, users, need); err != nil {
			errs = append(errs, err)
			continue
		}
		repos[r.Name] = true
	}
	for _, p := range s.Pulls {
		if !repos[p.Repo] {
			errs = append(errs, fmt.Errorf("pull %q: unknown repo %q", p.Title, p.Repo))
		}
		need("pull "+p.Title, p.Author)
	}
	for _, i := range s.Issues {
		if !repos[i.Repo] {
			errs = append(errs, fmt.Errorf("issue %q: unknown repo %q", i.Title, i.Repo))
		}
		need("issue "+i.Title, i.Author)
	}
	return errors.Join(errs...)
}

func (s *Seed) validateOrgs(need func(where, login string)) map[string]bool {
	orgs := map[string]bool{}
	for _, o := range s.Orgs {
		orgs[o.Login] = true
		for _, m := range append(append([]string{}, o.Members...), o.Admins...) {
			need("org "+o.Login, m)
		}
		for _, t := range o.Teams {
			for _, m := range t.Members {
				need("team "+o.Login+"/"+t.Slug, m)
			}
		}
	}
	return orgs
}

func validateRepo(r SeedRepo, orgs, users map[string]bool, need func(where, login string)) error {
	org, name, ok := strings.Cut(r.Name, "/")
	if !ok || org == "" || name == "" {
		return fmt.Errorf("repo %q is not org/name", r.Name)
	}
	var errs []error
	if !orgs[org] && !users[strings.ToLower(org)] {
		errs = append(errs, fmt.Errorf("repo %s: owner %q is neither an org nor a user", r.Name, org))
	}
	for login, perm := range r.Collaborators {
		need("repo "+r.Name+" collaborators", login)
		if permRank(perm) == 0 {
			errs = append(errs, fmt.Errorf("repo %s: collaborator %s has permission %q; use admin, maintain, write, triage or read", r.Name, login, perm))
		}
	}
	return errors.Join(errs...)
}

// permRank orders permissions; 0 is not a permission.
func permRank(p string) int {
	switch p {
	case "read":
		return 1
	case "triage":
		return 2
	case "write":
		return 3
	case "maintain":
		return 4
	case "admin":
		return 5
	}
	return 0
}
