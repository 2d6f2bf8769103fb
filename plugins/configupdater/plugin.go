package configupdater

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	GetFile(ctx context.Context, org, repo, path, ref string) ([]byte, error)
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
}

var _ Client = (*github.Client)(nil)

// New builds the plugin, updating the ConfigMaps in maps (nil: the
// process has none, and each update is an error saying so).
func New(gh Client, maps Maps) plugins.Plugin {
	h := handler{gh: gh, maps: maps}
	return plugins.Plugin{
		Name: Name,
		Description: "Updates ConfigMaps from the repository's files when a pull request changing them merges into the default branch " +
			"(config_updater.maps), and comments on the pull request which ConfigMaps and keys it updated.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
	}
}

func configHelp(cfg *pluginconfig.Configuration, _ []string) map[string]string {
	if len(cfg.ConfigUpdater.Maps) == 0 {
		return map[string]string{"": "No files are mapped to ConfigMaps (config_updater.maps is empty)."}
	}
	var lines []string
	for _, p := range orderedPatterns(cfg.ConfigUpdater.Maps) {
		spec := cfg.ConfigUpdater.Maps[p]
		if spec.Name == "" {
			lines = append(lines, fmt.Sprintf("- %s: partitioned_names is not supported, so this entry does nothing", p))
			continue
		}
		var where []string
		for _, id := range targets(cfg.ConfigUpdater, spec) {
			ns := id.Namespace
			if ns == "" {
				ns = "the default namespace"
			}
			where = append(where, fmt.Sprintf("%s in %s (cluster %s)", id.Name, ns, id.Cluster))
		}
		lines = append(lines, fmt.Sprintf("- %s → ConfigMap %s", p, strings.Join(where, ", ")))
	}
	return map[string]string{"": "On a merge into the default branch, changed files update these ConfigMaps:\n" + strings.Join(lines, "\n")}
}

type handler struct {
	gh   Client
	maps Maps
}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	r := ev.Repo
	if !Applies(ev.Action, ev.PR.Merged, ev.PR.BaseRef, r.DefaultBranch) || env.PluginConfig == nil {
		return nil
	}
	cfg := env.PluginConfig()
	if cfg == nil || len(cfg.ConfigUpdater.Maps) == 0 {
		return nil
	}
	changes, err := h.gh.GetPullRequestChanges(ctx, r.Org, r.Name, ev.PR.Number)
	if err != nil {
		return err
	}
	plan := Plan(cfg.ConfigUpdater, r.FullName(), changes)
	if len(plan) == 0 {
		return nil
	}
	if h.maps == nil {
		return fmt.Errorf("update configmaps for %s#%d: this process has no ConfigMaps to update", r.FullName(), ev.PR.Number)
	}
	applied, err := h.apply(ctx, env, ev, plan)
	if err != nil {
		return err
	}
	msg := Summary(applied)
	_, err = h.gh.CreateComment(ctx, r.Org, r.Name, ev.PR.Number, plugins.FormatResponse(ev.PR.Author, msg, ev.PR.HTMLURL, ev.PR.Body))
	return err
}

// apply makes the plan's changes, ConfigMap by ConfigMap in a stable
// order, reading each file once.
func (h handler) apply(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent, plan map[MapID][]Update) ([]Applied, error) {
	r := ev.Repo
	namespace := "default"
	if env.Config != nil {
		if c := env.Config(); c != nil && c.ProwJobNamespace != "" {
			namespace = c.ProwJobNamespace
		}
	}
	// Files are read from the default branch as it is now: a later merge
	// that touched them again is not undone by a late run of this one.
	contents := map[string][]byte{}
	var applied []Applied
	for _, id := range SortedIDs(plan) {
		updates := plan[id]
		for _, u := range updates {
			if _, ok := contents[u.Filename]; ok || u.Filename == "" {
				continue
			}
			content, err := h.gh.GetFile(ctx, r.Org, r.Name, u.Filename, ev.PR.BaseRef)
			if err != nil {
				return nil, err
			}
			contents[u.Filename] = content
		}
		ns := id.Namespace
		if ns == "" {
			ns = namespace
		}
		env.Log.WithField("configmap", id.Name).WithField("namespace", ns).WithField("cluster", id.Cluster).Info("Updating ConfigMap")
		if err := h.maps.Apply(ctx, id, ns, Collect(updates, contents)); err != nil {
			return nil, err
		}
		applied = append(applied, Applied{ID: id, Updates: updates})
	}
	return applied, nil
}
