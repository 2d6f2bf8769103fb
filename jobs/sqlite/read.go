package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Times are stored as Unix nanoseconds. The zero time sorts before all
// others; a time outside 1678-2262 (where nanoseconds overflow) sorts at
// the edge of the range and is read back from the JSON, to the second.
const (
	zeroTime  = math.MinInt64
	earliest  = math.MinInt64 + 1
	latest    = math.MaxInt64
	minNanoTS = -9223372036 // seconds of the earliest time UnixNano holds
	maxNanoTS = 9223372035  // seconds of the latest
)

func toNanos(t time.Time) int64 {
	switch s := t.Unix(); {
	case t.IsZero():
		return zeroTime
	case s <= minNanoTS:
		return earliest
	case s >= maxNanoTS:
		return latest
	}
	return t.UnixNano()
}

func nullNanos(t *metav1.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: toNanos(t.Time), Valid: true}
}

// restore sets *t from the column when it holds the time exactly.
func restore(t *metav1.Time, ns int64) {
	if t != nil && ns != zeroTime && ns != earliest && ns != latest {
		t.Time = time.Unix(0, ns)
	}
}

// columns are what scanRow reads.
const columns = "name, version, start_ns, pending_ns, completion_ns, record"

type scanner interface{ Scan(dest ...any) error }

func scanRow(sc scanner) (*row, error) {
	r := &row{}
	if err := sc.Scan(&r.name, &r.version, &r.start, &r.pending, &r.completion, &r.record); err != nil {
		return nil, err
	}
	return r, nil
}

// decode is the job the row holds, its times to the nanosecond.
func (r *row) decode() (*prowapi.ProwJob, error) {
	pj := &prowapi.ProwJob{}
	if err := json.Unmarshal(r.record, pj); err != nil {
		return nil, fmt.Errorf("decode job %s: %w", r.name, err)
	}
	pj.ResourceVersion = strconv.FormatInt(r.version, 10)
	restore(&pj.Status.StartTime, r.start)
	if r.pending.Valid {
		restore(pj.Status.PendingTime, r.pending.Int64)
	}
	if r.completion.Valid {
		restore(pj.Status.CompletionTime, r.completion.Int64)
	}
	return pj, nil
}

// Get implements jobs.Getter.
func (s *Store) Get(ctx context.Context, name string) (*prowapi.ProwJob, error) {
	r, err := scanRow(s.db.QueryRowContext(ctx, "SELECT "+columns+" FROM jobs WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get job %s: %w", name, jobs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get job %s: %w", name, err)
	}
	return r.decode()
}

// List implements jobs.Lister with keyset pagination on (start_ns, name).
func (s *Store) List(ctx context.Context, f jobs.Filter, page jobs.Page) (*jobs.List, error) {
	var few []string
	if jobs.IsGlob(f.Job) {
		g, err := s.resolveGlob(ctx, f.Job, s.fewRuns())
		if err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		if g.runs == 0 {
			return &jobs.List{}, nil
		}
		if g.runs <= s.fewRuns() {
			few = g.names
		}
	}
	q, args, err := listQueryIn(f, page, few)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	defer func() { _ = rows.Close() }() // read-only; rows.Err reports failures
	out := &jobs.List{Items: make([]prowapi.ProwJob, 0, min(page.Size(), 128))}
	var last *row
	for rows.Next() {
		if len(out.Items) == page.Size() {
			out.Continue = encodeContinue(last.start, last.name)
			break
		}
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		pj, err := r.decode()
		if err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		out.Items = append(out.Items, *pj)
		last = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return out, nil
}

// Which index leads a filtered list: the planner has no statistics, so
// listQuery names the one index it should read in order and writes the
// other conditions as +column, which SQLite does not look up in an index.
const (
	byStart      = iota // jobs_by_start, in order
	byPulls             // job_pulls: the few jobs of a pull or author, then sorted
	byJob               // jobs_by_job
	byIncomplete        // the partial index jobs_incomplete
	byRepo              // jobs_by_repo, or jobs_by_repo_state for one state
	byState             // jobs_by_state, for one state
	byType              // jobs_by_type
	byCluster           // jobs_by_cluster
)

// leader picks the index for f, the most selective first.
func leader(f jobs.Filter) int {
	switch {
	case f.Pull != 0 || f.Author != "":
		return byPulls
	case f.Job != "" && !jobs.IsGlob(f.Job):
		return byJob
	case f.Incomplete:
		return byIncomplete
	case f.Org != "" && f.Repo != "":
		return byRepo
	case f.Cluster != "":
		return byCluster
	case len(f.States) == 1:
		return byState
	case f.Type != "":
		return byType
	}
	return byStart
}

// leaderIn is leader for a glob that matched the names few: the job
// index leads unless the pulls do.
func leaderIn(f jobs.Filter, few []string) int {
	lead := leader(f)
	if few != nil && lead != byPulls {
		return byJob
	}
	return lead
}

// column is c, or +c when c must not pick the index.
func column(c string, indexed bool) string {
	if indexed {
		return c
	}
	return "+" + c
}

// listQuery is the query for a page: one more row than the page holds
// tells whether another page follows.
func listQuery(f jobs.Filter, page jobs.Page) (string, []any, error) {
	return listQueryIn(f, page, nil)
}

// listQueryIn is listQuery for a job glob that matched few runs, of the
// job names few: those are read by jobs_by_job and sorted.
func listQueryIn(f jobs.Filter, page jobs.Page, few []string) (string, []any, error) {
	var where []string
	var args []any
	cond := func(c string, a ...any) { where, args = append(where, c), append(args, a...) }
	lead := leaderIn(f, few)
	if f.Org != "" {
		cond(column("org", lead == byRepo)+" = ?", f.Org)
	}
	if f.Repo != "" {
		cond(column("repo", lead == byRepo)+" = ?", f.Repo)
	}
	if c, a := jobCond(f.Job, lead == byJob, few); c != "" {
		cond(c, a...)
	}
	if f.Type != "" {
		cond(column("type", lead == byType)+" = ?", string(f.Type))
	}
	switch len(f.States) {
	case 0:
	case 1:
		cond(column("state", lead == byState || lead == byRepo)+" = ?", string(f.States[0]))
	default:
		for _, st := range f.States {
			args = append(args, string(st))
		}
		where = append(where, "+state IN ("+marks(len(f.States))+")")
	}
	if f.Incomplete {
		// A literal, so the partial index applies when it leads.
		where = append(where, column("final", lead == byIncomplete)+" = 0")
	}
	if f.Cluster != "" {
		cond(column("cluster", lead == byCluster)+" = ?", f.Cluster)
	}
	if lead == byPulls {
		where = append(where, "name IN (SELECT name FROM job_pulls WHERE "+pullQuery(f, &args)+")")
	}
	if page.Continue != "" {
		start, name, err := decodeContinue(page.Continue)
		if err != nil {
			return "", nil, fmt.Errorf("bad continue token %q: %w", page.Continue, err)
		}
		cond("(start_ns, name) < (?, ?)", start, name)
	}
	q := "SELECT " + columns + " FROM jobs"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY start_ns DESC, name DESC LIMIT ?", append(args, page.Size()+1), nil
}

// pullQuery is the condition on job_pulls: a pull matching every pull
// field of f in the repository f names.
func pullQuery(f jobs.Filter, args *[]any) string {
	var c []string
	if f.Pull != 0 {
		c, *args = append(c, "number = ?"), append(*args, f.Pull)
	}
	if f.Org != "" {
		c, *args = append(c, "org = ?"), append(*args, f.Org)
	}
	if f.Repo != "" {
		c, *args = append(c, "repo = ?"), append(*args, f.Repo)
	}
	if f.Author != "" {
		c, *args = append(c, "author = ? COLLATE NOCASE"), append(*args, f.Author)
	}
	return strings.Join(c, " AND ")
}

// jobCond is the condition on the job name: one of the names few a glob
// matched, the glob, or the name.
func jobCond(job string, lead bool, few []string) (string, []any) {
	switch {
	case few != nil:
		args := make([]any, len(few))
		for i, n := range few {
			args[i] = n
		}
		return column("job", lead) + " IN (" + marks(len(few)) + ")", args
	case jobs.IsGlob(job):
		return "+job GLOB ?", []any{sqlGlob(job)}
	case job != "":
		return column("job", lead) + " = ?", []any{job}
	}
	return "", nil
}

// marks are n placeholders.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// sqlGlob is a job glob (only "*" special) as an SQLite GLOB pattern,
// where "?" and "[" are special too.
func sqlGlob(glob string) string {
	return strings.NewReplacer("[", "[[]", "?", "[?]").Replace(glob)
}

// tokenVersion starts every continue token, so a token of another format
// is rejected rather than misread.
const tokenVersion = 1

// encodeContinue is the opaque token for the position after (start, name).
func encodeContinue(start int64, name string) string {
	b := make([]byte, 9, 9+len(name))
	b[0] = tokenVersion
	binary.BigEndian.PutUint64(b[1:], uint64(start))
	return base64.RawURLEncoding.EncodeToString(append(b, name...))
}

func decodeContinue(token string) (int64, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, "", fmt.Errorf("decode: %w", err)
	}
	if len(b) < 10 || b[0] != tokenVersion || !utf8.Valid(b[9:]) {
		return 0, "", errors.New("not a position in the job list")
	}
	return int64(binary.BigEndian.Uint64(b[1:9])), string(b[9:]), nil
}

// queryer runs queries: the database or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}
