package deck_test

import (
	"bytes"
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
			status, header, body := fetch(t, f.http.URL+tc.path)
			if status != 200 || !bytes.HasPrefix(body, []byte{0, 0, 1, 0}) || len(body) > 4096 {
				t.Errorf("status %d, %d bytes starting %x: want a small ICO file", status, len(body), body[:min(4, len(body))])
			}
			if tc.ctype != "" && header.Get("Content-Type") != tc.ctype {
				t.Errorf("content type %q, want %q", header.Get("Content-Type"), tc.ctype)
			}
		})
	}
	if _, page := f.get(t, "/"); !strings.Contains(page, `<link rel="icon" href="/favicon.ico">`) {
		t.Error("the pages do not link the icon")
	}
}
