package github

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/test/testlog"
)

func TestQueriesByOrgKeepEveryTermAndOneOrgsScope(t *testing.T) {
	cases := []struct {
		name, query string
		want        []orgQuery
	}{
		{"one org", "org:acme is:pr label:lgtm", []orgQuery{{"acme", "is:pr label:lgtm org:acme"}}},
		{"repos of two orgs, ORed on GitHub, are two searches", `is:open repo:acme/a label:"do not merge" repo:Beta/b repo:acme/c`,
			[]orgQuery{{"acme", `is:open label:"do not merge" repo:acme/a repo:acme/c`}, {"beta", `is:open label:"do not merge" repo:Beta/b`}}},
		{"user: is an org's too", "user:someone is:pr", []orgQuery{{"someone", "is:pr user:someone"}}},
		{"an excluded repo is a term, not a scope", "org:acme -repo:acme/old", []orgQuery{{"acme", "-repo:acme/old org:acme"}}},
		{"no org, no query", "is:pr label:lgtm", []orgQuery{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := queriesByOrg(tc.query); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSearchPullRequestsAsAnAppSearchesEachOrgWithItsToken uses a
// stand-in GitHub: the sandbox has no GitHub App installations.
func TestSearchPullRequestsAsAnAppSearchesEachOrgWithItsToken(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		t.Fatal(err)
	}
	installations := map[string]int{"acme": 1, "beta": 2}
	var mu sync.Mutex
	var searched []string // token query
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch path := r.URL.Path; {
		case path == "/api/graphql":
			mu.Lock()
			searched = append(searched, r.Header.Get("Authorization"))
			mu.Unlock()
			fmt.Fprint(w, `{"data":{"search":{"issueCount":1,"pageInfo":{"hasNextPage":false,"endCursor":null},`+
				`"nodes":[{"number":1,"repository":{"name":"r","owner":{"login":"x"}},"labels":{"nodes":[]},"commits":{"nodes":[]}}]}}}`)
		case strings.HasPrefix(path, "/api/v3/app/installations/"):
			id := strings.TrimSuffix(strings.TrimPrefix(path, "/api/v3/app/installations/"), "/access_tokens")
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "inst-" + id, "expires_at": time.Now().Add(time.Hour)})
		case strings.HasSuffix(path, "/installation") && installations[strings.Split(path, "/")[4]] != 0:
			fmt.Fprintf(w, `{"id":%d}`, installations[strings.Split(path, "/")[4]])
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	c, err := NewClient(ClientOptions{Endpoint: f.URL + "/api/v3", AppID: 1, AppPrivateKeyPath: keyPath, Logger: testlog.Discard(), Sleep: (&sleeps{}).sleep})
	if err != nil {
		t.Fatal(err)
	}
	found, err := c.SearchPullRequests(context.Background(), "is:open repo:acme/a repo:beta/b")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(searched)
	if len(found) != 2 || !slices.Equal(searched, []string{"token inst-1", "token inst-2"}) {
		t.Errorf("found %d, searched with %q; want one search per org, each with its installation's token", len(found), searched)
	}
	if _, err := c.SearchPullRequests(context.Background(), "is:open label:lgtm"); err == nil || !strings.Contains(err.Error(), "org: or repo:") {
		t.Errorf("a search of no org as an app: %v, want an error that says what to add", err)
	}
}
