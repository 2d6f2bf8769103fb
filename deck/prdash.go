package deck

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/prowbot/prow/jobs"
)

// maxPRJobs bounds the runs /pr reads for one user.
const maxPRJobs = 200

// myPR is one of the user's pull requests on /pr.
type myPR struct {
	prView
	// Where is its place in tide's pool, in words.
	Where string
	// Jobs are the latest run of each job for it, newest first.
	Jobs []jobRow
}

// prDashPage is /pr's data.
type prDashPage struct {
	// SignedOut: nobody is logged in; the page offers the login.
	SignedOut bool
	User      string
	PRs       []myPR
	// TideDown: tide's pools could not be read.
	TideDown bool
}

// handlePR serves /pr: the logged-in user's open pull requests in tide's
// scope, each with its contexts, its tide status and its latest jobs.
func (s *Server) handlePR(w http.ResponseWriter, r *http.Request) {
	if !s.tideOn(w, r) {
		return
	}
	user := s.user(r).Login
	if user == "" {
		s.render(w, r, http.StatusOK, "pr", "My pull requests", prDashPage{SignedOut: true})
		return
	}
	page := prDashPage{User: user}
	p, err := s.tidePools(r.Context())
	if err != nil {
		s.log.WithError(err).Warn("Could not read tide's pools")
		page.TideDown = true
		p = &tidePools{}
	}
	seen := map[string]bool{}
	for _, pool := range p.Pools {
		for _, g := range []struct {
			where string
			prs   []tidePR
		}{
			{"ready to merge", pool.SuccessPRs}, {"in the pool, tests running", pool.PendingPRs},
			{"in the pool, tests to run", pool.MissingPRs}, {"in the pool, testing in a batch", pool.BatchPending},
			{"not in the pool", pool.NotInPool},
		} {
			for _, pr := range g.prs {
				key := prKey(pr.Org, pr.Repo, pr.Number)
				if !strings.EqualFold(pr.AuthorLogin, user) || seen[key] {
					continue
				}
				seen[key] = true
				page.PRs = append(page.PRs, myPR{prView: s.prView(pr), Where: g.where})
			}
		}
	}
	sort.Slice(page.PRs, func(i, j int) bool {
		a, b := page.PRs[i], page.PRs[j]
		if a.Org+"/"+a.Repo != b.Org+"/"+b.Repo {
			return a.Org+"/"+a.Repo < b.Org+"/"+b.Repo
		}
		return a.Number < b.Number
	})
	if len(page.PRs) > 0 {
		runs, err := s.latestRuns(r, user)
		if err != nil {
			s.log.WithError(err).Warn("Could not list the user's jobs")
		}
		for i := range page.PRs {
			page.PRs[i].Jobs = runs[prKey(page.PRs[i].Org, page.PRs[i].Repo, page.PRs[i].Number)]
		}
	}
	s.render(w, r, http.StatusOK, "pr", "My pull requests", page)
}

func prKey(org, repo string, n int) string {
	return strings.ToLower(org+"/"+repo) + "#" + strconv.Itoa(n)
}

// latestRuns are the latest visible run of each job for each of the
// user's pull requests, by prKey, newest first.
func (s *Server) latestRuns(r *http.Request, user string) (map[string][]jobRow, error) {
	l, err := s.listVisible(r.Context(), jobs.Filter{Author: user}, jobs.Page{Limit: maxPRJobs})
	if err != nil {
		return nil, err
	}
	out := map[string][]jobRow{}
	seen := map[string]bool{}
	for i := range l.Items {
		pj := &l.Items[i]
		if pj.Spec.Refs == nil {
			continue
		}
		for _, pull := range pj.Spec.Refs.Pulls {
			if !strings.EqualFold(pull.Author, user) {
				continue
			}
			key := prKey(pj.Spec.Refs.Org, pj.Spec.Refs.Repo, pull.Number)
			if seen[key+" "+pj.Spec.Job] {
				continue
			}
			seen[key+" "+pj.Spec.Job] = true
			out[key] = append(out[key], s.rowOf(pj))
		}
	}
	return out, nil
}
