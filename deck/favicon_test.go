package deck_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestFavicon(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name  string
		path  string
		ctype string
	}{
		{"/favicon.ico answers with an icon", "/favicon.ico", "image/x-icon"},
		{"the icon is also a static file", "/static/favicon.ico", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(f.http.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte{0, 0, 1, 0}) || len(body) > 4096 {
				t.Errorf("status %d, %d bytes starting %x: want a small ICO file", resp.StatusCode, len(body), body[:min(4, len(body))])
			}
			if tc.ctype != "" && resp.Header.Get("Content-Type") != tc.ctype {
				t.Errorf("content type %q, want %q", resp.Header.Get("Content-Type"), tc.ctype)
			}
		})
	}
	if _, page := f.get(t, "/"); !strings.Contains(page, `<link rel="icon" href="/favicon.ico">`) {
		t.Error("the pages do not link the icon")
	}
}
