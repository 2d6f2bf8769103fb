package pubsub

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/report"
	"github.com/prowbot/prow/jobs/report/reporttest"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// failFirst is a pstest reactor that refuses the first n calls it sees
// with code, then lets the fake server answer.
type failFirst struct {
	mu    sync.Mutex
	n     int
	code  codes.Code
	calls int
}

func (f *failFirst) React(any) (bool, any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.n > 0 {
		f.n--
		return true, &pubsubpb.PublishResponse{}, status.Error(f.code, "injected failure")
	}
	return false, nil, nil
}

// fakePubSub starts Google's in-process Pub/Sub server with opts and
// returns it with a ClientFunc reaching it.
func fakePubSub(t *testing.T, opts ...pstest.ServerReactorOption) (*pstest.Server, ClientFunc) {
	t.Helper()
	srv := pstest.NewServer(opts...)
	t.Cleanup(func() { _ = srv.Close() })
	return srv, func(ctx context.Context, project string) (*pubsub.Client, error) {
		return pubsub.NewClient(ctx, project, option.WithEndpoint(srv.Addr), option.WithoutAuthentication(),
			option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
	}
}

func createTopic(t *testing.T, srv *pstest.Server, name string) {
	t.Helper()
	if _, err := srv.GServer.CreateTopic(t.Context(), &pubsubpb.Topic{Name: name}); err != nil {
		t.Fatal(err)
	}
}

// published decodes the messages the server took on topic, in order.
func published(t *testing.T, srv *pstest.Server, topic string) []Message {
	t.Helper()
	var out []Message
	for _, m := range srv.Messages() {
		if m.Topic != topic {
			continue
		}
		var msg Message
		if err := json.Unmarshal(m.Data, &msg); err != nil {
			t.Fatalf("message %s is not JSON: %v", m.ID, err)
		}
		out = append(out, msg)
	}
	return out
}

func statuses(ms []Message) []prowapi.ProwJobState {
	var out []prowapi.ProwJobState
	for _, m := range ms {
		out = append(out, m.Status)
	}
	return out
}

// pubsubJob is a postsubmit that asks for Pub/Sub reports.
func pubsubJob(name string) *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			ProjectLabel: "proj", TopicLabel: "prow-results", RunIDLabel: "run-" + name}},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PostsubmitJob, Job: "post-build",
			Refs: &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "abc"}},
		Status: prowapi.ProwJobStatus{State: prowapi.TriggeredState, StartTime: metav1.Now()},
	}
}

// TestEveryStateIsPublishedOnceAndAFailingServerIsRetried: the fake
// server refuses the first publishes (as Pub/Sub does without the
// permission) and the topic of a second job does not exist at first;
// the loop retries both until they go through, publishes each state of
// each job once, in order, and a restarted loop publishes nothing again.
func TestEveryStateIsPublishedOnceAndAFailingServerIsRetried(t *testing.T) {
	refuse := &failFirst{n: 3, code: codes.PermissionDenied}
	srv, newClient := fakePubSub(t, pstest.ServerReactorOption{FuncName: "Publish", Reactor: refuse})
	createTopic(t, srv, "projects/proj/topics/prow-results")
	r, err := New(newClient)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	store := reporttest.OpenStore(t)
	cfg := &config.Config{}
	stop := reporttest.StartLoop(t, store, cfg, r)

	a := pubsubJob("a")
	b := pubsubJob("b")
	b.Labels[TopicLabel] = "late-topic"
	reporttest.Create(t, store, a)
	reporttest.Create(t, store, b)
	reporttest.Eventually(t, "job a's triggered state published", reporttest.Recorded(t, store, "a", Name, prowapi.TriggeredState))
	createTopic(t, srv, "projects/proj/topics/late-topic")
	reporttest.Eventually(t, "job b's triggered state published once its topic exists",
		reporttest.Recorded(t, store, "b", Name, prowapi.TriggeredState))
	for _, st := range []prowapi.ProwJobState{prowapi.PendingState, prowapi.SuccessState} {
		reporttest.SetState(t, store, "a", st, "Job "+string(st)+".")
		reporttest.Eventually(t, "job a's "+string(st)+" state published", reporttest.Recorded(t, store, "a", Name, st))
	}
	stop()

	reporttest.StartLoop(t, store, cfg, r)
	reporttest.SetState(t, store, "b", prowapi.FailureState, "Job failed.")
	reporttest.Eventually(t, "job b's failure published by the new loop", reporttest.Recorded(t, store, "b", Name, prowapi.FailureState))

	refuse.mu.Lock()
	calls := refuse.calls
	refuse.mu.Unlock()
	if calls < 4 {
		t.Errorf("the server saw %d publishes; the 3 refused ones must have been retried", calls)
	}
	want := []prowapi.ProwJobState{prowapi.TriggeredState, prowapi.PendingState, prowapi.SuccessState}
	if got := statuses(published(t, srv, "projects/proj/topics/prow-results")); !slices.Equal(got, want) {
		t.Errorf("job a's messages have states %v, want each state once: %v", got, want)
	}
	late := published(t, srv, "projects/proj/topics/late-topic")
	if got := statuses(late); !slices.Equal(got, []prowapi.ProwJobState{prowapi.TriggeredState, prowapi.FailureState}) {
		t.Errorf("job b's messages have states %v, want triggered then failure, once each", got)
	}
	if len(late) == 2 && (late[1].RunID != "run-b" || late[1].Message != "Job failed." || late[1].Project != "proj" || late[1].Topic != "late-topic") {
		t.Errorf("job b's failure message = %+v", late[1])
	}
}

var _ report.Reporter = (*Reporter)(nil)
