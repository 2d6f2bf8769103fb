package verifyowners

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "verify-owners"

// Label marks a pull request with invalid OWNERS files.
const Label = "do-not-merge/invalid-owners-file"

// Marker is the hidden HTML comment that marks the bot's report.
const Marker = "<!-- prow:verify-owners -->"

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	plugins.CommentEditor
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
}

var _ Client = (*github.Client)(nil)

// FileReader reads a repository's files at a revision (prow/git does).
type FileReader interface {
	Files(ctx context.Context, org, repo, ref string, keep func(path string) bool) (fs.FS, error)
}

// Report is the comment listing the invalid files, or "" when none is.
func Report(author string, invalid []Invalid, ownersName string) string {
	if len(invalid) == 0 {
		return ""
	}
	s := "s"
	if len(invalid) == 1 {
		s = ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n@%s: %d invalid %s file%s\n\n", Marker, author, len(invalid), ownersName, s)
	for _, f := range invalid {
		fmt.Fprintf(&b, "- `%s`: %s\n", f.Path, strings.Join(f.Reasons, " "))
	}
	fmt.Fprintf(&b, "\nFix the file%s and push, or comment `/verify-owners` to check again.", s)
	return b.String()
}

// Actions are what to do to a pull request after a check.
type Actions struct {
	AddLabel, RemoveLabel bool
	// Create is the body of a new report; EditID and EditBody replace an
	// old one; Delete are old reports to remove.
	Create   string
	EditID   int64
	EditBody string
	Delete   []int64
}

// Decide turns a check's report ("" when every file is valid) into
// actions, given whether the pull request has the label and the bot's
// earlier reports (oldest first): one report is kept up to date, the
// rest go.
func Decide(report string, hasLabel bool, old []github.IssueComment) Actions {
	var a Actions
	if report == "" {
		a.RemoveLabel = hasLabel
		for _, c := range old {
			a.Delete = append(a.Delete, c.ID)
		}
		return a
	}
	a.AddLabel = !hasLabel
	if len(old) == 0 {
		a.Create = report
		return a
	}
	if old[0].Body != report {
		a.EditID, a.EditBody = old[0].ID, report
	}
	for _, c := range old[1:] {
		a.Delete = append(a.Delete, c.ID)
	}
	return a
}

// New builds the plugin; files reads the pull request's head.
func New(gh Client, files FileReader) plugins.Plugin {
	v := &verifier{gh: gh, files: files}
	return plugins.Plugin{
		Name: Name,
		Description: "Checks the OWNERS and OWNERS_ALIASES files a pull request modifies: they must parse, name only collaborators, " +
			"use no denylisted label, and the root OWNERS file must name approvers. Invalid files get the " + Label + " label and a comment.",
		ConfigHelp: configHelp,
		Commands: []plugins.Command{{
			Name: "verify-owners", Usage: "/verify-owners", WhoCanUse: "Anyone", Examples: []string{"/verify-owners"},
			Description: "Checks the modified OWNERS files again, adding or removing the " + Label + " label.",
			Handle: plugins.OnPullRequest(gh, func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, pr github.PullRequest) error {
				if pr.State != "open" {
					return nil
				}
				return v.verify(ctx, env, target{org: ev.Repo.Org, repo: ev.Repo.Name, number: ev.Number, author: pr.Author, sha: pr.HeadSHA, labels: pr.Labels})
			}),
		}},
		PullRequest: func(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
			switch ev.Action {
			case "opened", "reopened", "synchronize":
			default:
				return nil
			}
			return v.verify(ctx, env, target{org: ev.Repo.Org, repo: ev.Repo.Name, number: ev.PR.Number, author: ev.PR.Author, sha: ev.PR.HeadSHA, labels: ev.PR.Labels})
		},
	}
}

// target is the pull request a check is about.
type target struct {
	org, repo string
	number    int
	author    string
	sha       string // head
	labels    []string
}

type verifier struct {
	gh    Client
	files FileReader
}

// verify checks the pull request's modified OWNERS files and brings the
// label and the report in line.
func (v *verifier) verify(ctx context.Context, env plugins.Env, t target) error {
	cfg := env.PluginConfig()
	fn := cfg.OwnersFilenames(t.org, t.repo)
	names := Filenames{Owners: fn.Owners, Aliases: fn.OwnersAliases}
	changes, err := v.gh.GetPullRequestChanges(ctx, t.org, t.repo, t.number)
	if err != nil {
		return err
	}
	modified := Modified(changes, names)
	hasLabel := labels.Has(t.labels, Label)
	if len(modified) == 0 && !hasLabel {
		return nil
	}
	var invalid []Invalid
	if len(modified) > 0 {
		parsed, err := v.parse(ctx, t, modified, names)
		if err != nil {
			return err
		}
		rules := Rules{Denylist: cfg.Owners.LabelsDenyList, SkipCollaborators: cfg.SkipCollaborators(t.org, t.repo)}
		if !rules.SkipCollaborators {
			if rules.Collaborators, err = v.collaborators(ctx, t, parsed); err != nil {
				return err
			}
		}
		invalid = Check(parsed, names, rules)
	}
	comments, err := v.gh.ListIssueComments(ctx, t.org, t.repo, t.number)
	if err != nil {
		return err
	}
	old := plugins.BotComments(comments, env.BotLogin, func(body string) bool { return strings.Contains(body, Marker) })
	env.Log.WithField("invalid", len(invalid)).Debug("Verified OWNERS files")
	return v.apply(ctx, t, Decide(Report(t.author, invalid, names.Owners), hasLabel, old))
}

// Modified lists the OWNERS and OWNERS_ALIASES files changes add or
// modify, skipping removed files and OWNERS files in denied directories.
func Modified(changes []github.PullRequestChange, names Filenames) []string {
	var out []string
	for _, c := range changes {
		if c.Status == "removed" {
			continue
		}
		if c.Filename == names.Aliases || path.Base(c.Filename) == names.Owners && !Denied(c.Filename) {
			out = append(out, c.Filename)
		}
	}
	return out
}

// parse reads the modified files and OWNERS_ALIASES at the head and parses
// them, resolving aliases in OWNERS files.
func (v *verifier) parse(ctx context.Context, t target, modified []string, names Filenames) ([]Parsed, error) {
	want := map[string]bool{names.Aliases: true}
	for _, m := range modified {
		want[m] = true
	}
	fsys, err := v.files.Files(ctx, t.org, t.repo, t.sha, func(p string) bool { return want[p] })
	if err != nil {
		return nil, fmt.Errorf("read OWNERS files of %s/%s#%d at %s: %w", t.org, t.repo, t.number, t.sha, err)
	}
	aliases := map[string][]string{}
	var aliasesParsed Parsed
	if data, err := fs.ReadFile(fsys, names.Aliases); err == nil {
		var a map[string][]string
		if a, aliasesParsed = ParseAliases(names.Aliases, data); aliasesParsed.Err == nil {
			aliases = a
		}
	}
	var out []Parsed
	for _, m := range modified {
		if m == names.Aliases {
			out = append(out, aliasesParsed)
			continue
		}
		data, err := fs.ReadFile(fsys, m)
		if err != nil {
			return nil, fmt.Errorf("read %s of %s/%s#%d at %s: %w", m, t.org, t.repo, t.number, t.sha, err)
		}
		p := ParseOwners(m, data, names)
		p.Logins = Expand(p.Logins, aliases)
		out = append(out, p)
	}
	return out, nil
}

// collaborators asks GitHub, once per login, which logins of the files
// are collaborators of the repository.
func (v *verifier) collaborators(ctx context.Context, t target, parsed []Parsed) (map[string]bool, error) {
	out := map[string]bool{}
	asked := map[string]bool{}
	for _, p := range parsed {
		for _, l := range p.Logins {
			if asked[l] {
				continue
			}
			asked[l] = true
			ok, err := v.gh.IsCollaborator(ctx, t.org, t.repo, l)
			if err != nil {
				return nil, fmt.Errorf("check whether %s is a collaborator of %s/%s: %w", l, t.org, t.repo, err)
			}
			out[l] = ok
		}
	}
	return out, nil
}

// apply carries out the actions.
func (v *verifier) apply(ctx context.Context, t target, a Actions) error {
	if a.AddLabel {
		if err := v.gh.AddLabels(ctx, t.org, t.repo, t.number, Label); err != nil {
			return err
		}
	}
	if a.RemoveLabel {
		if err := v.gh.RemoveLabel(ctx, t.org, t.repo, t.number, Label); err != nil {
			return err
		}
	}
	if a.Create != "" {
		if _, err := v.gh.CreateComment(ctx, t.org, t.repo, t.number, a.Create); err != nil {
			return err
		}
	}
	if a.EditID != 0 {
		if err := v.gh.EditComment(ctx, t.org, t.repo, a.EditID, a.EditBody); err != nil {
			return err
		}
	}
	for _, id := range a.Delete {
		if err := v.gh.DeleteComment(ctx, t.org, t.repo, id); err != nil {
			return err
		}
	}
	return nil
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		fn := cfg.OwnersFilenames(org, repo)
		msg := fmt.Sprintf("%s and %s files are verified.", fn.Owners, fn.OwnersAliases)
		if len(cfg.Owners.LabelsDenyList) > 0 {
			msg += fmt.Sprintf(" %s files may not use these labels: %s.", fn.Owners, strings.Join(cfg.Owners.LabelsDenyList, ", "))
		}
		if cfg.SkipCollaborators(org, repo) {
			msg += " Owners need not be collaborators."
		}
		return msg
	})
}
