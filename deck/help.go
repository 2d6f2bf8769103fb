package deck

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// pluginHelp is the /plugin-help JSON hook serves (Prow's field names).
type pluginHelp struct {
	AllRepos            []string
	RepoPlugins         map[string][]string
	RepoExternalPlugins map[string][]string
	PluginHelp          map[string]pluginDoc
	ExternalPluginHelp  map[string]pluginDoc
}

type pluginDoc struct {
	Description string
	Config      map[string]string
	Events      []string
	Commands    []commandDoc
}

type commandDoc struct {
	Usage       string
	Featured    bool
	Description string
	Examples    []string
	WhoCanUse   string
}

// commandRow is one command of the command help page.
type commandRow struct {
	Plugin string
	commandDoc
}

type commandHelpPage struct {
	Repo     string
	Repos    []string
	Commands []commandRow
}

type pluginRow struct {
	Repo     string
	Plugins  []string
	External []string
}

type pluginsPage struct {
	Rows []pluginRow
	Docs map[string]pluginDoc
}

func (s *Server) readPluginHelp(r *http.Request) (*pluginHelp, *httpError) {
	if s.opts.PluginHelp == nil {
		return nil, refuse(http.StatusNotFound, "No plugin help", "This deck is not connected to hook's /plugin-help.")
	}
	data, err := s.opts.PluginHelp(r.Context())
	if err != nil {
		s.log.WithError(err).Warn("Get plugin help failed")
		return nil, refuse(http.StatusServiceUnavailable, "Plugin help unavailable", "Hook's plugin help cannot be read right now.")
	}
	var h pluginHelp
	if err := json.Unmarshal(data, &h); err != nil {
		s.log.WithError(err).Warn("Decode plugin help failed")
		return nil, refuse(http.StatusBadGateway, "Plugin help unreadable", "Hook's plugin help is not the expected JSON.")
	}
	s.hideHelp(&h)
	return &h, nil
}

// enabledFor says which plugins apply to repo (org/repo): those of the
// org and of the repo; all plugins when repo is empty.
func (h *pluginHelp) enabledFor(repo string) map[string]bool {
	on := map[string]bool{}
	for key, names := range h.RepoPlugins {
		org, _, _ := strings.Cut(repo, "/")
		if repo == "" || key == repo || (key == org && org != "") {
			for _, n := range names {
				on[n] = true
			}
		}
	}
	return on
}

func (s *Server) handleCommandHelp(w http.ResponseWriter, r *http.Request) {
	h, herr := s.readPluginHelp(r)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	p := commandHelpPage{Repo: r.URL.Query().Get("repo")}
	for key := range h.RepoPlugins {
		p.Repos = append(p.Repos, key)
	}
	sort.Strings(p.Repos)
	on := h.enabledFor(p.Repo)
	for name, doc := range h.PluginHelp {
		if !on[name] {
			continue
		}
		for _, c := range doc.Commands {
			p.Commands = append(p.Commands, commandRow{Plugin: name, commandDoc: c})
		}
	}
	sort.Slice(p.Commands, func(a, b int) bool {
		ca, cb := p.Commands[a], p.Commands[b]
		if ca.Featured != cb.Featured {
			return ca.Featured
		}
		return ca.Usage < cb.Usage
	})
	s.render(w, r, http.StatusOK, "commandhelp", "Command help", p)
}

func (s *Server) handlePlugins(w http.ResponseWriter, r *http.Request) {
	h, herr := s.readPluginHelp(r)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	p := pluginsPage{Docs: h.PluginHelp}
	keys := map[string]bool{}
	for k := range h.RepoPlugins {
		keys[k] = true
	}
	for k := range h.RepoExternalPlugins {
		keys[k] = true
	}
	for k := range keys {
		ps := append([]string(nil), h.RepoPlugins[k]...)
		sort.Strings(ps)
		p.Rows = append(p.Rows, pluginRow{Repo: k, Plugins: ps, External: h.RepoExternalPlugins[k]})
	}
	sort.Slice(p.Rows, func(a, b int) bool { return p.Rows[a].Repo < p.Rows[b].Repo })
	s.render(w, r, http.StatusOK, "plugins", "Plugins", p)
}
