package deck

import (
	"context"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// repoHidden says whether org/repo is in deck.hidden_repos (as "org" or
// "org/repo").
func repoHidden(cfg *config.Config, org, repo string) bool {
	for _, h := range cfg.Deck.HiddenRepos {
		if strings.EqualFold(h, org) || strings.EqualFold(h, org+"/"+repo) {
			return true
		}
	}
	return false
}

// hidden says whether a job record must not be shown: its hidden flag,
// a hidden job of that name in the configuration, or a hidden repo among
// its refs.
func (s *Server) hidden(rules *hideRules, pj *prowapi.ProwJob) bool {
	return !s.opts.ShowHidden && rules.recordHidden(pj)
}

// maxScan bounds the jobs one list request looks at when it drops hidden
// ones, so that a store full of hidden jobs cannot make a page slow.
const maxScan = 5000

// listVisible lists a page of jobs without the hidden ones, asking the
// store for more until the page is full, so that page boundaries stay
// exact.
func (s *Server) listVisible(ctx context.Context, f jobs.Filter, page jobs.Page) (*jobs.List, error) {
	rules := s.rules()
	out := &jobs.List{Continue: page.Continue}
	want := page.Size()
	scanned := 0
	for {
		l, err := s.opts.Lister.List(ctx, f, jobs.Page{Limit: want - len(out.Items), Continue: out.Continue})
		if err != nil {
			return nil, err
		}
		scanned += len(l.Items)
		for i := range l.Items {
			if !s.hidden(rules, &l.Items[i]) {
				out.Items = append(out.Items, l.Items[i])
			}
		}
		out.Continue = l.Continue
		if len(out.Items) >= want || l.Continue == "" || scanned >= maxScan || len(l.Items) == 0 {
			return out, nil
		}
	}
}
