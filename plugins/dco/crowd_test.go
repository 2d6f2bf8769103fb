package dco_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/dco"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

// stallStatus is the real client, whose first status write hangs until
// the call's time is up (after the comment and the label went out).
type stallStatus struct {
	*github.Client
	stall *harness.StallOnce
}

func (s stallStatus) CreateStatus(ctx context.Context, org, repo, sha string, st github.Status) error {
	if err := s.stall.Hang(ctx); err != nil {
		return err
	}
	return s.Client.CreateStatus(ctx, org, repo, sha, st)
}

// Beside a plugin that panics and one that hangs, dco still does its
// work; when its own call times out half-way, the replay of the delivery
// finishes it with one comment, not two.
func TestDCOBesideMisbehavingPluginsAndAfterATimeout(t *testing.T) {
	env := harness.StartWithoutPlugins(t, harness.NewSeed("bob").Seed())
	env.Commit("bob", "fix", "a.txt", "Add a")
	n := env.OpenPullFrom("bob", "demo", "hello", "fix", "main", "Change")
	var pr struct {
		Head struct{ SHA string } `json:"head"`
	}
	env.Do("bob", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)

	crowd := harness.NewCrowd(t, dco.New(stallStatus{env.GitHub, &harness.StallOnce{}}), pluginconfig.Configuration{DCO: map[string]*pluginconfig.DCO{"demo": {ContributingBranch: "main"}}}, 2*time.Second)
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "opened",
		PR: github.PullRequest{Number: n, State: "open", Author: "bob", HeadSHA: pr.Head.SHA}}
	env.DeliverFailing(crowd, dco.Name, ev)
	env.Replay(crowd, dco.Name, ev)
	s := observe(t, env, n)
	if !reflect.DeepEqual(s.labels, []string{dco.LabelNo}) || s.status != "failure" || len(s.notices) != 1 {
		t.Fatalf("labels %v, status %q, %d notices; want the no label, failure and one notice", s.labels, s.status, len(s.notices))
	}
}
