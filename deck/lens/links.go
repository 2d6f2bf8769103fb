package lens

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// Link is one link of the links lens. Href is empty when the URL is not
// http or https: such a link is shown as text, never followed.
type Link struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	Href string `json:"-"`
}

// LinkGroup is the content of one links artifact.
type LinkGroup struct {
	Title string `json:"title"`
	Links []Link `json:"links"`
}

// ParseLinks reads a links artifact in Prow's formats: a JSON file
// {"title": ..., "links": [{"name": ..., "url": ...}]}, or any other file
// (foo-bar.link.txt) holding one URL, titled after its name.
func ParseLinks(name string, data []byte) (LinkGroup, error) {
	var g LinkGroup
	if path.Ext(name) == ".json" {
		if err := json.Unmarshal(data, &g); err != nil {
			return g, fmt.Errorf("parse links file %s: %w", name, err)
		}
	} else {
		u := strings.TrimSpace(string(data))
		title := linkTitle(path.Base(name))
		g = LinkGroup{Title: title, Links: []Link{{Name: title, URL: u}}}
	}
	if g.Title == "" {
		g.Title = path.Base(name)
	}
	for i := range g.Links {
		g.Links[i].Href = safeHref(g.Links[i].URL)
		if g.Links[i].Name == "" {
			g.Links[i].Name = g.Links[i].URL
		}
	}
	return g, nil
}

// linkTitle turns master-and-node-logs.link.txt into "Master and node
// logs".
func linkTitle(base string) string {
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".link.txt"), ".txt")
	base = strings.ReplaceAll(base, "-", " ")
	if base == "" {
		return "Link"
	}
	return strings.ToUpper(base[:1]) + base[1:]
}

// safeHref is u when it is an absolute http or https URL, else "".
func safeHref(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}
