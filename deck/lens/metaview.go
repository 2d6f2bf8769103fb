package lens

import (
	"sort"
	"strconv"
	"strings"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Href is a link the page may follow: Href is empty when there is
// nothing safe to link to, and the text is shown alone.
type Href struct {
	Text, Href string
}

// RepoView is one repository a build checked out.
type RepoView struct {
	Repo    Href
	Branch  Href
	BaseSHA Href
	Pulls   []PullView
	Primary bool
}

// PullView is one pull request of a build with the commit tested.
type PullView struct {
	PR     Href
	Commit Href
	Author string
}

// MetaView is what the metadata lens shows.
type MetaView struct {
	State         string
	Start, Finish time.Time
	Duration      time.Duration
	Result        string
	Revision      string
	Node          string
	JobType       string
	Repos         []RepoView
	// Extra are the free-form metadata of started.json and finished.json,
	// sorted by key.
	Extra [][2]string
}

// View builds the metadata lens's view; pj, when not nil, is the job's
// current record and wins over prowjob.json.
func (m Metadata) View(pj *prowapi.ProwJob) MetaView {
	if pj == nil {
		pj = m.ProwJob
	}
	v := MetaView{State: m.State(), Start: m.StartTime(), Finish: m.FinishTime(), Duration: m.Duration(), Revision: m.Revision()}
	if m.Finished != nil {
		v.Result = m.Finished.Result
	}
	if m.Started != nil {
		v.Node = m.Started.Node
	}
	var refs []prowapi.Refs
	if pj != nil {
		v.JobType = string(pj.Spec.Type)
		if m.Finished == nil && pj.Status.State != "" {
			v.State = string(pj.Status.State)
		}
		if pj.Spec.Refs != nil {
			refs = append(refs, *pj.Spec.Refs)
		}
		refs = append(refs, pj.Spec.ExtraRefs...)
	}
	if len(refs) == 0 && m.Started != nil {
		refs = refsFromStarted(m.Started.Repos)
	}
	for i, r := range refs {
		rv := repoView(r)
		rv.Primary = i == 0
		v.Repos = append(v.Repos, rv)
	}
	v.Extra = extra(m)
	return v
}

func repoView(r prowapi.Refs) RepoView {
	name := r.Org + "/" + r.Repo
	link := r.RepoLink
	if link == "" && r.Org != "" {
		link = "https://github.com/" + name
	}
	link = safeHref(link)
	rv := RepoView{Repo: Href{name, link}, Branch: Href{Text: r.BaseRef}, BaseSHA: Href{Text: r.BaseSHA}}
	if link != "" {
		if r.BaseRef != "" {
			rv.Branch.Href = link + "/tree/" + pathEscape(r.BaseRef)
		}
		if r.BaseSHA != "" {
			rv.BaseSHA.Href = link + "/commit/" + pathEscape(r.BaseSHA)
		}
	}
	if b := safeHref(r.BaseLink); b != "" && r.BaseSHA != "" {
		rv.BaseSHA.Href = b
	}
	for _, p := range r.Pulls {
		pv := PullView{PR: Href{Text: "#" + strconv.Itoa(p.Number)}, Commit: Href{Text: p.SHA}, Author: p.Author}
		pv.PR.Href = safeHref(p.Link)
		if pv.PR.Href == "" && link != "" {
			pv.PR.Href = link + "/pull/" + strconv.Itoa(p.Number)
		}
		pv.Commit.Href = safeHref(p.CommitLink)
		if pv.Commit.Href == "" && link != "" && p.SHA != "" {
			pv.Commit.Href = link + "/pull/" + strconv.Itoa(p.Number) + "/commits/" + pathEscape(p.SHA)
		}
		rv.Pulls = append(rv.Pulls, pv)
	}
	return rv
}

// refsFromStarted reads started.json's repos ("org/repo":
// "base:sha,12:sha"), sorted by repo.
func refsFromStarted(repos map[string]string) []prowapi.Refs {
	var out []prowapi.Refs
	for name, s := range repos {
		org, repo, _ := strings.Cut(name, "/")
		r := prowapi.Refs{Org: org, Repo: repo}
		for i, part := range strings.Split(s, ",") {
			ref, sha, _ := strings.Cut(part, ":")
			if i == 0 {
				r.BaseRef, r.BaseSHA = ref, sha
				continue
			}
			if n, err := strconv.Atoi(ref); err == nil {
				r.Pulls = append(r.Pulls, prowapi.Pull{Number: n, SHA: sha})
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Org+"/"+out[i].Repo < out[j].Org+"/"+out[j].Repo })
	return out
}

func extra(m Metadata) [][2]string {
	kv := map[string]string{}
	add := func(md map[string]any) {
		for k, v := range md {
			switch x := v.(type) {
			case string:
				kv[k] = x
			case float64, bool:
				kv[k] = strings.TrimSpace(strings.ReplaceAll(toString(x), "\n", " "))
			}
		}
	}
	if m.Started != nil {
		add(m.Started.Metadata)
	}
	if m.Finished != nil {
		add(m.Finished.Metadata)
	}
	var out [][2]string
	for k, v := range kv {
		out = append(out, [2]string{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func toString(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func pathEscape(s string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23", " ", "%20").Replace(s)
}
