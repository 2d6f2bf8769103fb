package lens

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// FileCoverage is the statement coverage of one source file.
type FileCoverage struct {
	File       string
	Statements int
	Covered    int
}

// Percent is the share of statements covered, 0 to 100.
func (f FileCoverage) Percent() float64 {
	if f.Statements == 0 {
		return 0
	}
	return 100 * float64(f.Covered) / float64(f.Statements)
}

// Coverage sums up a Go coverage profile per file.
type Coverage struct {
	Mode  string
	Files []FileCoverage
	Total FileCoverage
}

// ParseCoverage reads a Go coverage profile (go test -coverprofile):
// "mode: set" then one line per block, "file:l.c,l.c statements count".
// A block listed more than once (merged profiles) counts once, covered
// if any of its lines says so.
func ParseCoverage(name string, data []byte) (*Coverage, error) {
	type block struct {
		stmts   int
		covered bool
	}
	blocks := map[string]map[string]*block{}
	c := &Coverage{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if mode, ok := strings.CutPrefix(line, "mode:"); ok {
			c.Mode = strings.TrimSpace(mode)
			continue
		}
		file, pos, stmts, count, err := parseBlock(line)
		if err != nil {
			return nil, fmt.Errorf("parse coverage profile %s line %d: %w", name, n, err)
		}
		if blocks[file] == nil {
			blocks[file] = map[string]*block{}
		}
		b := blocks[file][pos]
		if b == nil {
			b = &block{stmts: stmts}
			blocks[file][pos] = b
		}
		b.covered = b.covered || count > 0
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read coverage profile %s: %w", name, err)
	}
	if c.Mode == "" {
		return nil, fmt.Errorf("parse coverage profile %s: no mode line", name)
	}
	c.Total.File = "total"
	for file, bs := range blocks {
		fc := FileCoverage{File: file}
		for _, b := range bs {
			fc.Statements += b.stmts
			if b.covered {
				fc.Covered += b.stmts
			}
		}
		c.Files = append(c.Files, fc)
		c.Total.Statements += fc.Statements
		c.Total.Covered += fc.Covered
	}
	sort.Slice(c.Files, func(i, j int) bool { return c.Files[i].File < c.Files[j].File })
	return c, nil
}

// parseBlock splits "file:1.2,3.4 5 6".
func parseBlock(line string) (file, pos string, stmts, count int, err error) {
	fields := strings.Fields(line)
	if len(fields) != 3 {
		return "", "", 0, 0, fmt.Errorf("want \"file:start,end statements count\", got %q", line)
	}
	i := strings.LastIndexByte(fields[0], ':')
	if i <= 0 {
		return "", "", 0, 0, fmt.Errorf("no file name in %q", line)
	}
	if stmts, err = strconv.Atoi(fields[1]); err != nil {
		return "", "", 0, 0, fmt.Errorf("statements in %q: %w", line, err)
	}
	if count, err = strconv.Atoi(fields[2]); err != nil {
		return "", "", 0, 0, fmt.Errorf("count in %q: %w", line, err)
	}
	return fields[0][:i], fields[0][i+1:], stmts, count, nil
}
