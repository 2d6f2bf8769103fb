package size

import (
	"bufio"
	"bytes"
	"context"
	"path"
	"strings"
)

// Generated says which files are generated.
type Generated struct {
	names    map[string]bool // file-name: a base name anywhere
	prefixes []string        // file-prefix: a base name prefix
	paths    []string        // path-prefix: a path prefix
	globs    []string        // .gitattributes patterns marked linguist-generated
}

// Matches says whether file is generated.
func (g Generated) Matches(file string) bool {
	base := path.Base(file)
	if g.names[base] {
		return true
	}
	for _, p := range g.prefixes {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	for _, p := range g.paths {
		if strings.HasPrefix(file, p) {
			return true
		}
	}
	for _, pat := range g.globs {
		target := file
		if !strings.Contains(strings.TrimPrefix(pat, "/"), "/") {
			target = base
		}
		if ok, _ := path.Match(strings.TrimPrefix(pat, "/"), target); ok {
			return true
		}
	}
	return false
}

// ParseGeneratedFiles reads a .generated_files file: lines of
// "file-name X", "file-prefix X" or "path-prefix X"; # starts a comment.
func ParseGeneratedFiles(data []byte, g *Generated) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kind, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch kind {
		case "file-name":
			if g.names == nil {
				g.names = map[string]bool{}
			}
			g.names[value] = true
		case "file-prefix":
			g.prefixes = append(g.prefixes, value)
		case "path-prefix":
			g.paths = append(g.paths, value)
		}
	}
}

// ParseGitAttributes keeps the patterns marked linguist-generated.
func ParseGitAttributes(data []byte, g *Generated) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		for _, attr := range fields[1:] {
			if attr == "linguist-generated" || attr == "linguist-generated=true" {
				g.globs = append(g.globs, fields[0])
			}
		}
	}
}

// LoadGenerated reads both files at ref; a missing file adds nothing.
func LoadGenerated(ctx context.Context, gh Client, org, repo, ref string) Generated {
	var g Generated
	if data, err := gh.GetFile(ctx, org, repo, ".generated_files", ref); err == nil {
		ParseGeneratedFiles(data, &g)
	}
	if data, err := gh.GetFile(ctx, org, repo, ".gitattributes", ref); err == nil {
		ParseGitAttributes(data, &g)
	}
	return g
}
