package tide

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

func (c *Controller) log(v *Verdict) *logrus.Entry {
	return c.opts.Logger.WithFields(logrus.Fields{"org": v.Org, "repo": v.Repo, "pr": v.Number})
}

// report sets the tide status on the pull request's head when it
// differs from the one there.
func (c *Controller) report(ctx context.Context, t *config.Tide, v *Verdict) {
	if c.refusedSince(v) {
		return // the merge was refused after this decision, and its status says so
	}
	want := Context{Name: StatusContext, State: v.State, Description: v.Description, TargetURL: TargetURL(t, v.PR)}
	for _, have := range v.Contexts {
		if have == want {
			return
		}
	}
	if err := c.setStatus(ctx, v, want); err != nil {
		c.log(v).WithError(err).Warn("Could not set the tide status")
	}
}

func (c *Controller) setStatus(ctx context.Context, v *Verdict, s Context) error {
	return c.opts.GitHub.CreateStatus(ctx, v.Org, v.Repo, v.HeadSHA, github.Status{Context: s.Name, State: s.State, Description: s.Description, TargetURL: s.TargetURL})
}

// TargetURL is the link of the tide status: target_urls (the most
// specific of org/repo, org and "*") or target_url, else a search for
// the pull request on the PR status page (pr_status_base_urls or
// pr_status_base_url); empty when none is configured.
func TargetURL(t *config.Tide, pr PR) string {
	if u := mostSpecific(t.TargetURLs, pr.Org, pr.Repo); u != "" {
		return u
	}
	if t.TargetURL != "" {
		return t.TargetURL
	}
	base := mostSpecific(t.PRStatusBaseURLs, pr.Org, pr.Repo)
	if base == "" {
		base = t.PRStatusBaseURL
	}
	if base == "" {
		return ""
	}
	q := fmt.Sprintf("is:pr repo:%s/%s author:%s head:%s", pr.Org, pr.Repo, pr.Author, pr.HeadRef)
	return base + "?query=" + url.QueryEscape(q)
}

func mostSpecific(m map[string]string, org, repo string) string {
	for _, k := range []string{org + "/" + repo, org, "*"} {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return ""
}

// act carries out a pool's action and records it.
func (c *Controller) act(ctx context.Context, cfg *config.Config, a Action) {
	if len(a.Abandon) > 0 {
		r := Record{Time: c.opts.Now(), Action: AbandonBatch}
		for _, run := range a.Abandon {
			r.BaseSHA = run.BaseSHA
			for _, n := range run.Order {
				r.Target = append(r.Target, PRMeta{Number: n, SHA: run.Pulls[n]})
			}
		}
		if err := c.abandon(ctx, a.Pool, a.Abandon); err != nil {
			r.Err = err.Error()
		}
		c.history.record(a.Pool, r)
	}
	var r Record
	if a.Kind != Wait {
		r = Record{Time: c.opts.Now(), Action: historyAction(a)}
		if a.PR != nil {
			r.BaseSHA, r.Target = a.PR.BaseSHA, metas(a.PR)
		} else if len(a.Batch) > 0 {
			r.BaseSHA, r.Target = a.Batch[0].BaseSHA, metas(a.Batch...)
		}
		defer func() { c.record(ctx, a.Pool, r) }()
	}
	var err error
	switch a.Kind {
	case Merge:
		_, err = c.merge(ctx, &cfg.Tide, a.PR)
	case Trigger:
		err = c.trigger(ctx, cfg, a.PR)
	case MergeBatch:
		err = c.mergeBatch(ctx, &cfg.Tide, a.Batch, a.Speculative)
	case TriggerBatch:
		err = c.triggerBatch(ctx, cfg, a.Batch, a.Speculative)
	}
	if err != nil {
		r.Err = err.Error()
	}
}

// AbandonBatch is the history's action for speculative batches tide
// abandoned.
const AbandonBatch = "ABANDON_BATCH (speculative)"

// historyAction names an action in the history: its kind, marked
// "(speculative)" for a batch tested on top of another.
func historyAction(a Action) string {
	if a.Speculative {
		return string(a.Kind) + " (speculative)"
	}
	return string(a.Kind)
}

// merge merges the pull request at the head tide judged; a merge GitHub
// refuses stays in the pool with GitHub's reason on its status, logged
// once. It returns the commit that landed, or why the pull request did
// not merge.
func (c *Controller) merge(ctx context.Context, t *config.Tide, v *Verdict) (string, error) {
	log := c.log(v).WithField("method", v.Method)
	title, body, err := CommitMessage(t, v.PR)
	if err != nil {
		log.WithError(err).Error("Cannot render the merge commit message")
		return "", err
	}
	// The status loop may not have said "In merge pool." yet: a merged
	// pull request must not keep an older verdict on its head.
	c.report(ctx, t, v)
	landed, err := c.opts.GitHub.MergeCommit(ctx, v.Org, v.Repo, v.Number, v.HeadSHA, v.Method, title, body)
	if reason, refused := github.MergeRefused(err); refused {
		refusal := fmt.Errorf("GitHub refused the merge: %s", reason)
		if c.refuse(v, reason) {
			log.WithField("reason", reason).Warn("GitHub refused the merge")
		}
		s := Context{Name: StatusContext, State: "error", Description: notMergeable([]string{"GitHub refused the merge: " + reason}), TargetURL: TargetURL(t, v.PR)}
		if s.State == v.State && s.Description == v.Description {
			return "", refusal // report set it already
		}
		if err := c.setStatus(ctx, v, s); err != nil {
			log.WithError(err).Warn("Could not set the tide status")
		}
		return "", refusal
	}
	if err != nil {
		log.WithError(err).Warn("Merge failed")
		return "", err
	}
	log.WithFields(logrus.Fields{"sha": v.HeadSHA, "landed": landed}).Info("Merged")
	return landed, nil
}

// trigger reruns the pull request's stale presubmits against the pool's
// current base.
func (c *Controller) trigger(ctx context.Context, cfg *config.Config, v *Verdict) error {
	if c.opts.Jobs == nil {
		return nil
	}
	var errs []error
	stale := map[string]bool{}
	for _, s := range v.Stale {
		stale[s] = true
	}
	b := jobs.Builder{Now: c.opts.Now, Namespace: cfg.ProwJobNamespace}
	for _, ps := range v.run {
		if !stale[ps.Context] {
			continue
		}
		pj := b.Presubmit(ps, refs(v), map[string]string{prowapi.CreatedByTideLabel: "true"})
		if _, err := c.opts.Jobs.Create(ctx, pj); err != nil {
			c.log(v).WithError(err).WithField("job", ps.Name).Warn("Could not start a retest")
			errs = append(errs, err)
			continue
		}
		c.log(v).WithFields(logrus.Fields{"job": ps.Name, "base": v.BaseSHA}).Info("Retesting against the current base")
	}
	return errors.Join(errs...)
}

// refs are the refs a rerun checks out: the pool's base and the pull
// request's head.
func refs(v *Verdict) prowapi.Refs {
	link := repoLink(v)
	return prowapi.Refs{Org: v.Org, Repo: v.Repo, RepoLink: link, BaseRef: v.BaseRef, BaseSHA: v.BaseSHA, BaseLink: link + "/commit/" + v.BaseSHA,
		Pulls: []prowapi.Pull{pullRef(v)}}
}

// repoLink is the repository's web address, from the pull request's.
func repoLink(v *Verdict) string {
	link := strings.TrimSuffix(v.HTMLURL, fmt.Sprintf("/pull/%d", v.Number))
	if link == "" || link == v.HTMLURL {
		link = "https://github.com/" + v.Org + "/" + v.Repo
	}
	return link
}

func pullRef(v *Verdict) prowapi.Pull {
	return prowapi.Pull{Number: v.Number, Author: v.Author, SHA: v.HeadSHA, Title: v.Title, Ref: fmt.Sprintf("pull/%d/head", v.Number),
		HeadRef: v.HeadRef, Link: v.HTMLURL, CommitLink: fmt.Sprintf("%s/pull/%d/commits/%s", repoLink(v), v.Number, v.HeadSHA),
		AuthorLink: "https://github.com/" + v.Author}
}
