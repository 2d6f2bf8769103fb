package deck

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// hideHelp removes from plugin help what names or belongs only to
// hidden repos (unless ShowHidden): their entries in AllRepos,
// RepoPlugins, RepoExternalPlugins and each plugin's Config, and the help
// of plugins that only hidden repos enable.
func (s *Server) hideHelp(h *pluginHelp) {
	if s.opts.ShowHidden {
		return
	}
	cfg := s.config()
	hiddenKey := func(key string) bool {
		org, repo, _ := strings.Cut(key, "/")
		return key != "" && repoHidden(cfg, org, repo)
	}
	h.AllRepos = slices.DeleteFunc(h.AllRepos, hiddenKey)
	for _, set := range []struct {
		repos map[string][]string
		docs  map[string]pluginDoc
	}{{h.RepoPlugins, h.PluginHelp}, {h.RepoExternalPlugins, h.ExternalPluginHelp}} {
		seen, hiddenOnly := map[string]bool{}, map[string]bool{}
		for key, names := range set.repos {
			for _, n := range names {
				if hiddenKey(key) {
					hiddenOnly[n] = true
				} else {
					seen[n] = true
				}
			}
			if hiddenKey(key) {
				delete(set.repos, key)
			}
		}
		for name, doc := range set.docs {
			if hiddenOnly[name] && !seen[name] {
				delete(set.docs, name)
				continue
			}
			for key := range doc.Config {
				if hiddenKey(key) {
					delete(doc.Config, key)
				}
			}
		}
	}
}

// handlePluginHelpJS is GET /plugin-help.js: the plugin help hook
// serves, as Prow's deck passes it on (with ?var=NAME as a script),
// without what belongs to hidden repos.
func (s *Server) handlePluginHelpJS(w http.ResponseWriter, r *http.Request) {
	v, herr := jsVar(r)
	if herr == nil {
		var h *pluginHelp
		if h, herr = s.readPluginHelp(r); herr == nil {
			data, err := json.Marshal(h)
			if err != nil {
				textError(w, http.StatusInternalServerError, "internal error encoding JSON")
				return
			}
			jsHeaders(w, v)
			if v != "" {
				data = []byte("var " + v + " = " + string(data) + ";\n")
			}
			_, _ = w.Write(data)
			return
		}
	}
	failText(w, herr)
}

// pluginPage is the page of one plugin.
type pluginPage struct {
	Name     string
	External bool
	Doc      pluginDoc
	// EnabledIn are the orgs and repos that enable the plugin.
	EnabledIn []string
	// Repo is the chosen org or repo, ConfigKeys those the help
	// describes a configuration for, Config the chosen one's (or the
	// general one when none is chosen).
	Repo       string
	ConfigKeys []string
	Config     string
	HasConfig  bool
}

// handlePlugin is GET /plugin?plugin=NAME[&repo=org/repo]: what the
// plugin does, the events it handles, its commands with examples and who
// may use them, where it is enabled and its configuration for a repo.
func (s *Server) handlePlugin(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("plugin")
	if name == "" {
		s.fail(w, r, http.StatusBadRequest, "Missing plugin", "Ask for /plugin?plugin=NAME; the plugins are listed on /plugins.")
		return
	}
	h, herr := s.readPluginHelp(r)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	p := pluginPage{Name: name, Repo: r.URL.Query().Get("repo")}
	repos := h.RepoPlugins
	doc, ok := h.PluginHelp[name]
	if !ok {
		doc, ok = h.ExternalPluginHelp[name]
		p.External, repos = ok, h.RepoExternalPlugins
	}
	if !ok {
		s.fail(w, r, http.StatusNotFound, "Plugin not found", "There is no plugin "+name+"; the plugins are listed on /plugins.")
		return
	}
	p.Doc = doc
	for key, names := range repos {
		if slices.Contains(names, name) {
			p.EnabledIn = append(p.EnabledIn, key)
		}
	}
	sort.Strings(p.EnabledIn)
	for key := range doc.Config {
		if key != "" {
			p.ConfigKeys = append(p.ConfigKeys, key)
		}
	}
	sort.Strings(p.ConfigKeys)
	p.Config, p.HasConfig = doc.Config[p.Repo]
	if !p.HasConfig && p.Repo != "" {
		// A repo without its own entry has its org's.
		org, _, _ := strings.Cut(p.Repo, "/")
		p.Config, p.HasConfig = doc.Config[org]
	}
	s.render(w, r, http.StatusOK, "plugin", "Plugin "+name, p)
}
