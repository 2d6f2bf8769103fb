package releasenote

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	IsMember(ctx context.Context, org, login string) (bool, error)
	EditBody(ctx context.Context, org, repo string, number int, body string) error
}

var _ Client = (*github.Client)(nil)

// defaultGuidelines is where the label-needed comment points when
// release_note.guidelines_url is not configured.
const defaultGuidelines = "https://git.k8s.io/community/contributors/guide/release-notes.md"

// neededMarker identifies the bot's label-needed comment, so it can be
// deleted once the pull request has a note.
const neededMarker = "needs a release note: it has the `" + LabelNeeded + "` label"

// neededMessage is the comment asking for a note; deprecation says the
// pull request is labeled kind/deprecation.
func neededMessage(guidelines string, deprecation bool) string {
	if guidelines == "" {
		guidelines = defaultGuidelines
	}
	why := "because its description has no release note in a ```release-note block."
	how := " write the note inside the block, or `NONE` when the change needs no note." +
		" The PR author or an org member can also comment `/release-note-none`."
	if deprecation {
		why = "because it is labeled `" + LabelDeprecation + "`: a deprecation needs a release note that describes it, `NONE` does not do."
		how = " write the note inside a ```release-note block."
	}
	return "This pull request " + neededMarker + " " + why +
		"\n\nPlease add one to the description, as the [release note guidelines](" + guidelines + ") explain:" + how
}

type handler struct{ gh Client }

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Keeps one release-note label on each pull request, from the ```release-note block of its description: " +
			LabelNote + ", " + LabelActionRequired + ", " + LabelNone + ", or " + LabelNeeded +
			" (which blocks merging) when the block is missing or empty. A pull request labeled " + LabelDeprecation + " needs a real note.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
		Commands: []plugins.Command{{
			Name:        "release-note-none",
			Usage:       "/release-note-none",
			Description: "Marks a pull request whose release-note block is empty or missing as needing no release note (" + LabelNone + ").",
			WhoCanUse:   "The pull request's author and members of the org.",
			Examples:    []string{"/release-note-none"},
			Handle:      h.none,
		}, {
			Name:        "release-note-edit",
			Usage:       "/release-note-edit followed by a ```release-note block",
			Description: "Replaces the release note in the pull request's description with the block that follows the command.",
			WhoCanUse:   "Members of the org.",
			Examples:    []string{"/release-note-edit\n```release-note\nThe flag --foo is deprecated.\n```"},
			Handle:      h.edit,
		}},
	}
}

func configHelp(cfg *pluginconfig.Configuration, _ []string) map[string]string {
	url := cfg.ReleaseNote.GuidelinesURL
	if url == "" {
		url = defaultGuidelines + " (the default)"
	}
	return map[string]string{"": "The comment asking for a release note links to " + url + " (release_note.guidelines_url)."}
}

// prActions are the pull request events that can change the label.
var prActions = map[string]bool{"opened": true, "reopened": true, "edited": true, "labeled": true, "unlabeled": true}

// relevant reports whether a pull request event can change the label.
func relevant(ev plugins.PullRequestEvent) bool {
	if !prActions[ev.Action] || ev.PR.State != "open" {
		return false
	}
	switch ev.Action {
	case "edited":
		return ev.BodyChanged
	case "labeled", "unlabeled":
		// Only the labels a person sets change the decision; the bot's
		// own release-note labels would only echo it.
		return labels.Equal(ev.Label, LabelDeprecation) || labels.Equal(ev.Label, LabelNone)
	}
	return true
}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !relevant(ev) {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.PR.Number
	have := ev.PR.Labels
	want := Determine(ev.PR.Body, have)
	if want == LabelNeeded && !labels.Has(have, LabelDeprecation) {
		none, err := h.noneCommented(ctx, org, repo, n, ev.PR.Author)
		if err != nil {
			return err
		}
		if none {
			want = LabelNone
		}
	}
	if want == LabelNeeded && !labels.Has(have, LabelNeeded) {
		guidelines := env.PluginConfig().ReleaseNote.GuidelinesURL
		// Addressed to the author, without quoting the whole description.
		body := "@" + ev.PR.Author + ": " + neededMessage(guidelines, labels.Has(have, LabelDeprecation))
		if _, err := h.gh.CreateComment(ctx, org, repo, n, body); err != nil {
			return err
		}
	}
	if err := h.apply(ctx, env, org, repo, n, have, want); err != nil {
		return err
	}
	if want != LabelNeeded && labels.Has(have, LabelNeeded) {
		return plugins.DeleteBotComments(ctx, h.gh, env, ev.Repo, n, isNeededNotice)
	}
	return nil
}

// apply sets want and removes the other release-note labels.
func (h handler) apply(ctx context.Context, env plugins.Env, org, repo string, n int, have []string, want string) error {
	c := Reconcile(have, want)
	if c.Add != "" {
		env.Log.WithField("label", c.Add).Info("Adding release-note label")
		if err := h.gh.AddLabels(ctx, org, repo, n, c.Add); err != nil {
			return err
		}
	}
	for _, l := range c.Remove {
		if err := h.gh.RemoveLabel(ctx, org, repo, n, l); err != nil {
			return err
		}
	}
	return nil
}

// noneCommented reports whether the author or an org member commented
// /release-note-none on the pull request.
func (h handler) noneCommented(ctx context.Context, org, repo string, n int, author string) (bool, error) {
	comments, err := h.gh.ListIssueComments(ctx, org, repo, n)
	if err != nil {
		return false, err
	}
	for _, c := range comments {
		if !hasNoneCommand(c.Body) {
			continue
		}
		ok, err := h.authorOrMember(ctx, org, c.User, author)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

func hasNoneCommand(body string) bool {
	for _, inv := range plugins.ParseCommands(body) {
		if inv.Name == "release-note-none" && inv.Args == "" {
			return true
		}
	}
	return false
}

func (h handler) authorOrMember(ctx context.Context, org, user, author string) (bool, error) {
	if strings.EqualFold(user, author) {
		return true, nil
	}
	return h.gh.IsMember(ctx, org, user)
}

// isNeededNotice says whether a comment body asks for a note (the bot's
// label-needed comment, deleted once the pull request has one).
func isNeededNotice(body string) bool { return strings.Contains(body, neededMarker) }

func (h handler) none(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, _ []plugins.Invocation) error {
	if !ev.IsPR {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	ok, err := h.authorOrMember(ctx, org, ev.User, ev.IssueAuthor)
	if err != nil {
		return err
	}
	var reply string
	switch NoneCommand(ok, ev.IssueBody, ev.Labels) {
	case NoneNotAllowed:
		reply = fmt.Sprintf("only the pull request's author and members of %s can set the %s label.", org, LabelNone)
	case NoneHasNote:
		reply = fmt.Sprintf("the %s label is only for pull requests whose release-note block is empty or says NONE; this one has a note.", LabelNone)
	case NoneNeedsNoteDepr:
		reply = fmt.Sprintf("a pull request labeled %s needs a release note describing the deprecation, so %s does not apply.", LabelDeprecation, LabelNone)
	default:
		if err := h.apply(ctx, env, org, repo, n, ev.Labels, LabelNone); err != nil {
			return err
		}
		if labels.Has(ev.Labels, LabelNeeded) {
			return plugins.DeleteBotComments(ctx, h.gh, env, ev.Repo, n, isNeededNotice)
		}
		return nil
	}
	_, err = h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, reply))
	return err
}

func (h handler) edit(ctx context.Context, _ plugins.Env, ev plugins.GenericCommentEvent, _ []plugins.Invocation) error {
	if !ev.IsPR {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	member, err := h.gh.IsMember(ctx, org, ev.User)
	if err != nil {
		return err
	}
	var reply string
	note, ok := EditNote(ev.Body)
	switch {
	case !member:
		reply = fmt.Sprintf("only members of %s can edit release notes.", org)
	case !ok:
		reply = "`/release-note-edit` needs exactly one ```release-note block after it, holding the new note."
	default:
		// The edit's webhook relabels the pull request.
		return h.gh.EditBody(ctx, org, repo, n, ReplaceNote(ev.IssueBody, note))
	}
	_, err = h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, reply))
	return err
}
