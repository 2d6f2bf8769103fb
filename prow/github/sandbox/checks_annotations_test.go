package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

func annotation(path string, line int, msg string) *gh.CheckRunAnnotation {
	return &gh.CheckRunAnnotation{Path: gh.String(path), StartLine: gh.Int(line), EndLine: gh.Int(line),
		AnnotationLevel: gh.String("failure"), Message: gh.String(msg)}
}

func TestCheckRunAnnotationsAreAppendedAndCappedPerRequest(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	bot := e.client("bot-token")
	head := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1)).GetHead().GetSHA()
	output := func(anns ...*gh.CheckRunAnnotation) *gh.CheckRunOutput {
		return &gh.CheckRunOutput{Title: gh.String("Failed"), Summary: gh.String("tests failed"), Annotations: anns}
	}
	run := must[*gh.CheckRun](t)(bot.Checks.CreateCheckRun(ctx, "demo", "hello", gh.CreateCheckRunOptions{Name: "unit", HeadSHA: head,
		Output: output(annotation("README.md", 1, "first"))}))
	if got := run.GetOutput().GetAnnotationsCount(); got != 1 {
		t.Errorf("annotations_count after create = %d, want 1", got)
	}
	var fifty []*gh.CheckRunAnnotation
	for k := range 50 {
		fifty = append(fifty, annotation("README.md", k+1, fmt.Sprint("more ", k)))
	}
	run = must[*gh.CheckRun](t)(bot.Checks.UpdateCheckRun(ctx, "demo", "hello", run.GetID(), gh.UpdateCheckRunOptions{Name: "unit", Output: output(fifty...)}))
	if got := run.GetOutput().GetAnnotationsCount(); got != 51 {
		t.Errorf("annotations_count after two requests = %d, want 51 (appended)", got)
	}
	var all []*gh.CheckRunAnnotation
	opt := &gh.ListOptions{PerPage: 20}
	for {
		list, resp, err := bot.Checks.ListCheckRunAnnotations(ctx, "demo", "hello", run.GetID(), opt)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, list...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if len(all) != 51 || all[0].GetMessage() != "first" || all[50].GetMessage() != "more 49" {
		t.Errorf("listed %d annotations, first %q, last %q", len(all), all[0].GetMessage(), all[len(all)-1].GetMessage())
	}

	// 51 in one request, a missing message, an unknown level: refused.
	for name, anns := range map[string][]*gh.CheckRunAnnotation{
		"51 annotations":  append(slices.Clone(fifty), annotation("a", 1, "x")),
		"no message":      {annotation("a", 1, "")},
		"a bad level":     {{Path: gh.String("a"), StartLine: gh.Int(1), EndLine: gh.Int(1), AnnotationLevel: gh.String("error"), Message: gh.String("x")}},
		"lines backwards": {{Path: gh.String("a"), StartLine: gh.Int(3), EndLine: gh.Int(1), AnnotationLevel: gh.String("notice"), Message: gh.String("x")}},
	} {
		a := e.do("bot-token", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/check-runs/%d", run.GetID()),
			map[string]any{"output": output(anns...)})
		if a.code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", name, a.code, a.body)
		}
	}
}

func TestACheckRunSentBackToQueuedLosesItsConclusion(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	bot := e.client("bot-token")
	head := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1)).GetHead().GetSHA()
	run := must[*gh.CheckRun](t)(bot.Checks.CreateCheckRun(ctx, "demo", "hello", gh.CreateCheckRunOptions{Name: "unit", HeadSHA: head,
		Conclusion: gh.String("failure")}))
	if run.GetStatus() != "completed" || run.CompletedAt == nil {
		t.Fatalf("created %s/%s", run.GetStatus(), run.GetConclusion())
	}
	run = must[*gh.CheckRun](t)(bot.Checks.UpdateCheckRun(ctx, "demo", "hello", run.GetID(), gh.UpdateCheckRunOptions{Name: "unit", Status: gh.String("queued")}))
	if run.GetStatus() != "queued" || run.Conclusion != nil || run.CompletedAt != nil {
		t.Errorf("after queued again: status %s, conclusion %v, completed_at %v", run.GetStatus(), run.Conclusion, run.CompletedAt)
	}
}

func TestRerequestingACheckRunSendsTheWebhook(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.InstallationID = 3 })
	ctx := context.Background()
	bot := e.client("bot-token")
	head := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1)).GetHead().GetSHA()
	run := must[*gh.CheckRun](t)(bot.Checks.CreateCheckRun(ctx, "demo", "hello", gh.CreateCheckRunOptions{Name: "unit", HeadSHA: head,
		Status: gh.String("in_progress")}))
	path := fmt.Sprintf("/repos/demo/hello/check-runs/%d/rerequest", run.GetID())
	if a := e.do("bob-token", http.MethodPost, path, nil); a.code != http.StatusUnprocessableEntity {
		t.Errorf("a run in progress: %d %s, want 422", a.code, a.body)
	}
	must[*gh.CheckRun](t)(bot.Checks.UpdateCheckRun(ctx, "demo", "hello", run.GetID(), gh.UpdateCheckRunOptions{Name: "unit", Conclusion: gh.String("failure")}))
	if a := e.do("eve-token", http.MethodPost, path, nil); a.code != http.StatusForbidden {
		t.Errorf("a reader: %d %s, want 403", a.code, a.body)
	}
	if a := e.do("bob-token", http.MethodPost, "/repos/demo/hello/check-runs/999999/rerequest", nil); a.code != http.StatusNotFound {
		t.Errorf("an unknown run: %d %s, want 404", a.code, a.body)
	}
	e.flush()
	from := len(e.hooks.all())
	ok(t)(e.client("bob-token").Checks.ReRequestCheckRun(ctx, "demo", "hello", run.GetID()))
	e.flush()
	e.hooks.checkPayloads(t)
	got := e.hooks.all()[from:]
	if len(got) != 1 || got[0].name() != "check_run.rerequested" {
		t.Fatalf("webhooks after the rerequest: %v", e.hooks.names(from))
	}
	p := payload(t, got[0])
	if dig(p, "sender", "login") != "bob" || dig(p, "check_run", "id") != float64(run.GetID()) || dig(p, "check_run", "name") != "unit" ||
		dig(p, "check_run", "head_sha") != head || dig(p, "check_run", "conclusion") != "failure" {
		t.Errorf("payload: sender %v, run %v %v %v %v", dig(p, "sender", "login"), dig(p, "check_run", "id"), dig(p, "check_run", "name"),
			dig(p, "check_run", "head_sha"), dig(p, "check_run", "conclusion"))
	}
	prs, _ := dig(p, "check_run", "pull_requests").([]any)
	if len(prs) != 1 || dig(prs[0], "number") != 1.0 {
		t.Errorf("the run's pull requests: %v", prs)
	}
}
