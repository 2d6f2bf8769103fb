package github

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/sirupsen/logrus"
)

// dryRunTransport sends reads and logs writes instead of sending them,
// answering with a plausible empty success so callers carry on.
type dryRunTransport struct {
	next http.RoundTripper
	log  *logrus.Entry
}

func (t *dryRunTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		return t.next.RoundTrip(req)
	}
	if read, err := isGraphQLQuery(req); err != nil || read {
		if err != nil {
			return nil, err
		}
		return t.next.RoundTrip(req)
	}
	var summary string
	if req.Body != nil {
		body, _ := io.ReadAll(io.LimitReader(req.Body, 512))
		req.Body.Close()
		summary = string(body)
	}
	t.log.WithFields(logrus.Fields{"method": req.Method, "path": req.URL.Path, "body": summary}).Info("Dry run: not sending write to GitHub")
	status, body := http.StatusOK, "{}"
	switch {
	case req.Method == http.MethodDelete:
		status, body = http.StatusNoContent, ""
	case req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/labels"):
		body = "[]"
	case req.Method == http.MethodPost:
		status = http.StatusCreated
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)), Request: req}, nil
}

// isGraphQLQuery says whether req is a GraphQL query (a read, unlike a
// mutation), leaving its body to be read again.
func isGraphQLQuery(req *http.Request) (bool, error) {
	if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/graphql") || req.Body == nil {
		return false, nil
	}
	if err := replayable(req); err != nil {
		return false, err
	}
	var body struct {
		Query string `json:"query"`
	}
	copied, err := req.GetBody()
	if err != nil {
		return false, err
	}
	defer copied.Close()
	if err := json.NewDecoder(copied).Decode(&body); err != nil {
		return false, nil //nolint:nilerr // not GraphQL we can read: a write, to be logged
	}
	q := strings.TrimSpace(body.Query)
	return strings.HasPrefix(q, "{") || strings.HasPrefix(q, "query"), nil
}
