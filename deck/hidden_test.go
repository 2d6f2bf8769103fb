package deck_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// secretMark is in every file a hidden repo or job owns; no answer may
// carry it, nor the name of such a file.
const (
	secretMark = "SECRET-CONTENT"
	secretName = "hidden-artifact"
)

// writeHiddenWorld adds to the fixture's bucket the builds the
// hidden-repo tests probe: builds of the hidden repo with and without
// prowjob.json, a hidden job inside a visible pull request, a postsubmit
// and a batch of hidden jobs, a visible sibling repo, a file outside
// Prow's layout and a build whose prowjob.json cannot be read.
func (f *fixture) writeHiddenWorld() {
	f.cfg.Postsubmits = map[string][]config.Postsubmit{"secret/vault": {{JobBase: config.JobBase{Name: "post-vault"}}}}
	files := func(dir string) {
		f.write(dir+"/build-log.txt", secretMark+" log of "+dir+"\n")
		f.write(dir+"/artifacts/"+secretName+".txt", secretMark+"\n")
	}
	// The case: a build of the hidden repo with no prowjob.json,
	// reached through its parent folder.
	files("pr-logs/pull/secret_vault/2/pull-vault/301")
	f.writeJSON("pr-logs/pull/secret_vault/2/pull-vault/301/started.json", storage.Started{Timestamp: f.start.Unix()})
	f.write("pr-logs/pull/secret_vault/1/pull-vault/300/artifacts/"+secretName+".txt", secretMark+"\n")
	// A hidden job inside a visible pull request.
	scan := "pr-logs/pull/acme_widget/12/pull-widget-secret-scan/301"
	hid := f.job(hiddenFlag, "pull-widget-secret-scan", prowapi.SuccessState, "acme", "widget", 12, "301")
	hid.Spec.Hidden = true
	f.writeJSON(scan+"/prowjob.json", hid)
	files(scan)
	// A postsubmit of the hidden repo, known only by its configured repo.
	files("logs/post-vault/7")
	f.write("logs/post-vault/latest-build.txt", "7")
	// A batch and an alias of a job whose every run is hidden.
	files("pr-logs/pull/batch/pull-vault/500")
	f.write("pr-logs/directory/pull-vault/300.txt", f.bucket.URL("pr-logs/pull/secret_vault/1/pull-vault/300"))
	f.write("pr-logs/directory/pull-vault/latest-build.txt", "300")
	// Unsure: a prowjob.json that is not JSON, a file outside the layout.
	files("pr-logs/pull/acme_widget/12/pull-widget-broken/302")
	f.write("pr-logs/pull/acme_widget/12/pull-widget-broken/302/prowjob.json", "{not json")
	f.write("elsewhere/"+secretName+".txt", secretMark+"\n")
	// A visible sibling of the hidden repo.
	f.writeJSON("pr-logs/pull/secret_vaultx/5/pull-x/400/started.json", storage.Started{Timestamp: f.start.Unix()})
	f.write("pr-logs/pull/secret_vaultx/5/pull-x/400/build-log.txt", "sibling log\n")
}

// leaks says what of a hidden build the answer to target shows, besides
// what target itself names (error pages repeat the path asked for).
func leaks(body, target string) string {
	asked, _ := url.QueryUnescape(target)
	for _, s := range []string{secretMark, secretName, "the secret log", "pull-widget-secret-scan/301", "post-vault/7", "pull-vault/30"} {
		if strings.Contains(body, s) && !strings.Contains(asked, s) {
			return s
		}
	}
	return ""
}

// TestHiddenRepoFolders probes every route that takes a path with the
// builds of a hidden repo, their parent folders, sibling folders and the
// bucket root: none may show a hidden file, and listings of folders that
// hold visible and hidden builds show only the visible ones.
func TestHiddenRepoFolders(t *testing.T) {
	f := newFixture(t)
	f.writeHiddenWorld()
	q := url.QueryEscape
	var probes []string
	for _, p := range []struct{ dir, rel string }{
		{"pr-logs/pull/secret_vault/2/pull-vault/301", "build-log.txt"},
		{"pr-logs/pull/secret_vault/2/pull-vault", "301/build-log.txt"},
		{"pr-logs/pull/secret_vault/2", "pull-vault/301/build-log.txt"},
		{"pr-logs/pull/secret_vault", "2/pull-vault/301/build-log.txt"},
		{"pr-logs/pull/secret_vault/1", "pull-vault/300/build-log.txt"},
		{"pr-logs/pull", "secret_vault/2/pull-vault/301/build-log.txt"},
		{"pr-logs", "pull/secret_vault/2/pull-vault/301/build-log.txt"},
		{"pr-logs/pull/acme_widget/12", "pull-widget-secret-scan/301/build-log.txt"},
		{"pr-logs/pull/acme_widget/12/pull-widget-secret-scan", "301/artifacts/" + secretName + ".txt"},
		{"pr-logs/pull/acme_widget/12/pull-widget-broken/302", "build-log.txt"},
		{"pr-logs/pull/acme_widget", "12/pull-widget-broken/302/build-log.txt"},
		{"logs/post-vault/7", "build-log.txt"},
		{"logs/post-vault", "7/build-log.txt"},
		{"logs", "post-vault/7/build-log.txt"},
		{"pr-logs/pull/batch/pull-vault", "500/build-log.txt"},
		{"pr-logs/pull/batch", "pull-vault/500/build-log.txt"},
		{"pr-logs/directory/pull-vault", "300.txt"},
		{"pr-logs/directory", "pull-vault/300.txt"},
		{"elsewhere", secretName + ".txt"},
		{"", "elsewhere/" + secretName + ".txt"},
		{"", "pr-logs/pull/secret_vault/2/pull-vault/301/build-log.txt"},
	} {
		for _, src := range []string{"local/" + p.dir, "gs/" + allowedGCS + "/" + p.dir} {
			probes = append(probes,
				"/view/"+src,
				"/file/"+src+"?name="+q(p.rel),
				"/api/log?src="+q(src)+"&file="+q(p.rel)+"&offset=0&length=1000",
				"/job-history/"+src,
				"/api/history/"+src,
			)
		}
	}
	probes = append(probes,
		"/view/local/", "/view/local", "/job-history/local/", "/api/history/local/",
		"/job-history/local/pr-logs/directory/pull-vault", "/api/history/local/pr-logs/directory/pull-vault",
		"/job-history/local/logs/post-vault", "/api/history/gs/"+allowedGCS+"/logs/post-vault",
		"/pr-history/?org=secret&repo=vault&pr=1", "/pr-history/?org=secret&repo=vault&pr=2",
		"/api/pr-history?org=secret&repo=vault&pr=1",
		"/badge.svg?jobs=pull-vault", "/badge.svg?jobs=post-vault", "/badge.svg?jobs=pull-widget-secret-scan",
	)
	for _, target := range probes {
		t.Run(target, func(t *testing.T) {
			rec := f.do("GET", target, allowedUser, nil)
			if s := leaks(rec.Body.String(), target); s != "" {
				t.Errorf("GET %s: status %d shows %q:\n%s", target, rec.Code, s, rec.Body.String())
			}
			if strings.HasPrefix(target, "/badge.svg") && !strings.Contains(rec.Body.String(), ">no results<") {
				t.Errorf("GET %s: the badge of a hidden job is not \"no results\": %s", target, rec.Body.String())
			}
		})
	}
}

// TestHiddenFolderListings checks that folders holding visible builds
// next to hidden ones list the visible ones only, and that visible
// siblings of a hidden repo stay visible.
func TestHiddenFolderListings(t *testing.T) {
	f := newFixture(t)
	f.writeHiddenWorld()
	tests := []struct {
		name, target string
		status       int
		want         []string
	}{
		{"a pull request folder lists its visible jobs only", "/view/local/pr-logs/pull/acme_widget/12", 200, []string{prJob + "/200/build-log.txt"}},
		{"the pr-logs folder lists visible repos only", "/view/local/pr-logs", 200, []string{"pull/acme_widget/12/" + prJob, "pull/secret_vaultx/5/pull-x/400/build-log.txt"}},
		{"the logs folder lists visible jobs only", "/view/local/logs", 200, []string{periodicJob + "/124/started.json"}},
		{"a visible sibling of the hidden repo is shown", "/view/local/pr-logs/pull/secret_vaultx/5/pull-x/400", 200, []string{"sibling log"}},
		{"a sibling's file is served", "/file/local/pr-logs/pull/secret_vaultx/5?name=pull-x%2F400%2Fbuild-log.txt", 200, []string{"sibling log"}},
		{"a visible build is served through its parent folder", "/file/local/pr-logs/pull/acme_widget/12?name=" + url.QueryEscape(prJob+"/200/build-log.txt"), 200, []string{"make: *** [test] Error 1"}},
		{"a visible job's history is shown", "/job-history/local/logs/" + periodicJob, 200, []string{">124<"}},
		{"the PR history of a sibling repo is not refused", "/pr-history/?org=secret&repo=vaultx&pr=5", 200, nil},
		{"the bucket root is not listed", "/view/local/", 400, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := f.getWant(t, tc.target, tc.status, tc.want)
			if s := leaks(body, tc.target); s != "" {
				t.Errorf("GET %s shows %q", tc.target, s)
			}
		})
	}
	t.Run("the hidden builds are denied, not just missing", func(t *testing.T) {
		for _, target := range []string{
			"/file/local/pr-logs/pull/secret_vault/2?name=pull-vault%2F301%2Fbuild-log.txt",
			"/view/local/pr-logs/pull/secret_vault/2",
			"/api/log?src=local%2Fpr-logs%2Fpull%2Fsecret_vault%2F2&file=pull-vault%2F301%2Fbuild-log.txt&offset=0&length=100",
		} {
			if rec := f.do("GET", target, "", nil); rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", target, rec.Code)
			}
		}
	})
	t.Run("show-hidden shows the parent folder", func(t *testing.T) {
		g := newFixture(t, func(o *deck.Options) { o.ShowHidden = true })
		g.writeHiddenWorld()
		rec := g.do("GET", "/file/local/pr-logs/pull/secret_vault/2?name=pull-vault%2F301%2Fbuild-log.txt", "", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), secretMark) {
			t.Errorf("status %d with --show-hidden: %s", rec.Code, rec.Body.String())
		}
	})
}
