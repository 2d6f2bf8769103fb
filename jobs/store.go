package jobs

import (
	"context"
	"errors"
	"slices"
	"strings"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Errors every store returns (wrapped, so test with errors.Is).
var (
	// ErrNotFound: no job has that name.
	ErrNotFound = errors.New("job not found")
	// ErrConflict: the job changed since it was read (its resource
	// version is not the stored one); read it again and retry.
	ErrConflict = errors.New("job changed since it was read")
	// ErrExists: a job with that name already exists.
	ErrExists = errors.New("job already exists")
	// ErrFinished: the job is in a final state already.
	ErrFinished = errors.New("job already finished")
)

// Creator creates job runs. It is all a plugin may do to the store
// besides the questions in Lister and Updater.
type Creator interface {
	// Create stores a new job. The name must be unique; the store sets
	// the resource version.
	Create(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error)
}

// Getter reads one job.
type Getter interface {
	Get(ctx context.Context, name string) (*prowapi.ProwJob, error)
}

// Lister lists jobs, newest first, a page at a time.
type Lister interface {
	List(ctx context.Context, f Filter, page Page) (*List, error)
}

// Updater replaces a job's record. The job's resource version must be
// the stored one, else ErrConflict. An update that changes the job gets
// a new resource version; one that changes nothing need not (Kubernetes
// keeps the version, and reports no change to watches), so the version
// Update returns is the one to write with next either way.
type Updater interface {
	Update(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error)
}

// EventType says what happened to a job.
type EventType string

// The event types a watch reports.
const (
	Added    EventType = "ADDED"
	Modified EventType = "MODIFIED"
	Deleted  EventType = "DELETED"
)

// Event is one change a watch reports.
type Event struct {
	Type EventType
	Job  *prowapi.ProwJob
}

// Watcher reports changes. A watch starts with an Added event for every
// stored job, then reports each change; the channel closes when ctx ends.
type Watcher interface {
	Watch(ctx context.Context) (<-chan Event, error)
}

// Deleter removes a job's record.
type Deleter interface {
	Delete(ctx context.Context, name string) error
}

// Store is a full job store.
type Store interface {
	Creator
	Getter
	Lister
	Updater
	Watcher
	Deleter
}

// Page selects a page of a list: at most Limit jobs (0 means the store's
// default, 100) after the position Continue names ("" is the start).
type Page struct {
	Limit    int
	Continue string
}

// DefaultLimit is the page size when a Page does not say.
const DefaultLimit = 100

// Size is the page's limit with the default applied.
func (p Page) Size() int {
	if p.Limit <= 0 {
		return DefaultLimit
	}
	return p.Limit
}

// List is one page of jobs; Continue is empty on the last page.
type List struct {
	Items    []prowapi.ProwJob
	Continue string
}

// Filter selects jobs; zero fields match everything.
type Filter struct {
	Org, Repo string
	// Job is a job name, or a glob when it holds a "*" (any run of
	// characters; nothing else is special), as Prow's deck takes it.
	Job  string
	Type prowapi.ProwJobType
	// Pull matches jobs whose refs include that pull request.
	Pull int
	// Author matches jobs whose refs include a pull by that author, in
	// any case (GitHub logins are case-insensitive).
	Author string
	States []prowapi.ProwJobState
	// Incomplete matches jobs not yet in a final state.
	Incomplete bool
	// Cluster matches jobs of that build cluster alias (a job that names
	// none runs in prowapi.DefaultClusterAlias).
	Cluster string
}

// ClusterOf is the build cluster alias a job runs in.
func ClusterOf(pj *prowapi.ProwJob) string {
	if pj.Spec.Cluster == "" {
		return prowapi.DefaultClusterAlias
	}
	return pj.Spec.Cluster
}

// Matches says whether pj is selected.
func (f Filter) Matches(pj *prowapi.ProwJob) bool {
	switch {
	case f.Job != "" && !MatchJob(f.Job, pj.Spec.Job),
		f.Type != "" && pj.Spec.Type != f.Type,
		len(f.States) > 0 && !slices.Contains(f.States, pj.Status.State),
		f.Incomplete && pj.Status.State.IsFinal(),
		f.Cluster != "" && ClusterOf(pj) != f.Cluster:
		return false
	}
	return f.refsMatch(pj.Spec.Refs)
}

// refsMatch checks the repository, pull and author conditions.
func (f Filter) refsMatch(refs *prowapi.Refs) bool {
	if f.Org == "" && f.Repo == "" && f.Pull == 0 && f.Author == "" {
		return true
	}
	if refs == nil || (f.Org != "" && refs.Org != f.Org) || (f.Repo != "" && refs.Repo != f.Repo) {
		return false
	}
	if f.Pull == 0 && f.Author == "" {
		return true
	}
	return slices.ContainsFunc(refs.Pulls, func(p prowapi.Pull) bool {
		return (f.Pull == 0 || p.Number == f.Pull) && (f.Author == "" || strings.EqualFold(p.Author, f.Author))
	})
}

// IsGlob says whether a job filter is a glob rather than a name.
func IsGlob(job string) bool { return strings.Contains(job, "*") }

// MatchJob says whether a job name matches a filter: the same name, or
// the glob (each "*" any run of characters, the rest literal).
func MatchJob(filter, name string) bool {
	if !IsGlob(filter) {
		return filter == name
	}
	parts := strings.Split(filter, "*")
	first, last := parts[0], parts[len(parts)-1]
	if len(name) < len(first)+len(last) || !strings.HasPrefix(name, first) || !strings.HasSuffix(name, last) {
		return false
	}
	rest := name[len(first) : len(name)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return true
}

// Newer orders jobs newest first: by start time, then by name, so a page
// boundary is stable.
func Newer(a, b *prowapi.ProwJob) bool {
	ta, tb := a.Status.StartTime.Time, b.Status.StartTime.Time
	if !ta.Equal(tb) {
		return ta.After(tb)
	}
	return a.Name > b.Name
}
