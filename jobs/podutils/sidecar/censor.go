package sidecar

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/prowbot/prow/jobs/podutils/options"
)

// chunkSize is how much a censoring reader reads at a time.
const chunkSize = 64 << 10

// censor replaces secrets by asterisks in what is uploaded.
type censor struct {
	// secrets, longest first.
	secrets          [][]byte
	longest          int
	include, exclude []string
}

// newCensor loads the secrets of the censoring options.
func newCensor(c options.Censoring) (*censor, error) {
	minLen := 0
	if c.MinimumSecretLength != nil {
		minLen = c.MinimumSecretLength.IntValue()
	}
	values := map[string]bool{}
	for _, dir := range c.SecretDirectories {
		if err := loadSecrets(dir, c.IniFilenames, values); err != nil {
			return nil, err
		}
	}
	cen := &censor{include: c.IncludeDirectories, exclude: c.ExcludeDirectories}
	for v := range values {
		if len(v) > 0 && len(v) >= minLen {
			cen.secrets = append(cen.secrets, []byte(v))
		}
	}
	slices.SortFunc(cen.secrets, func(a, b []byte) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return bytes.Compare(a, b)
	})
	if len(cen.secrets) > 0 {
		cen.longest = len(cen.secrets[0])
	}
	return cen, nil
}

// loadSecrets adds the secrets in the files below dir to values: each
// file's content, trimmed and not, its base64 form, and the values of
// the INI files named.
func loadSecrets(dir string, iniFiles []string, values map[string]bool) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), "..") { // Kubernetes' ..data links
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		addSecret(values, string(data))
		if slices.Contains(iniFiles, d.Name()) {
			for _, v := range iniValues(string(data)) {
				addSecret(values, v)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the secrets in %s: %w", dir, err)
	}
	return nil
}

func addSecret(values map[string]bool, v string) {
	t := strings.TrimSpace(v)
	for _, s := range []string{v, t, base64.StdEncoding.EncodeToString([]byte(t))} {
		if strings.TrimSpace(s) != "" {
			values[s] = true
		}
	}
}

// iniValues are the values of the key = value lines of an INI file.
func iniValues(content string) []string {
	var vs []string
	for _, line := range strings.Split(content, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		if _, v, ok := strings.Cut(line, "="); ok {
			vs = append(vs, strings.Trim(strings.TrimSpace(v), `"`))
		}
	}
	return vs
}

// applies says whether a file at rel below an uploaded directory is
// censored: not when an exclude glob matches it or a parent, else when
// an include glob does or there are none.
func (c *censor) applies(rel string) bool {
	if matchesAny(c.exclude, rel) {
		return false
	}
	return len(c.include) == 0 || matchesAny(c.include, rel)
}

func matchesAny(globs []string, rel string) bool {
	for p := rel; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		for _, g := range globs {
			if ok, _ := path.Match(g, p); ok {
				return true
			}
		}
	}
	return false
}

// filter is the upload.Filter of the censor.
func (c *censor) filter(_, rel string, r io.Reader) io.Reader {
	if !c.applies(rel) {
		return r
	}
	return c.wrap(r)
}

// wrap censors what r yields; a nil censor, or one without secrets,
// returns r.
func (c *censor) wrap(r io.Reader) io.Reader {
	if c == nil || c.longest == 0 {
		return r
	}
	return &censorReader{src: r, c: c}
}

// mask overwrites every secret in b with asterisks.
func (c *censor) mask(b []byte) {
	for _, s := range c.secrets {
		for from := 0; ; {
			i := bytes.Index(b[from:], s)
			if i < 0 {
				break
			}
			start := from + i
			for j := start; j < start+len(s); j++ {
				b[j] = '*'
			}
			from = start + len(s)
		}
	}
}

// censorReader censors a stream. It holds back the last longest-1 bytes
// it has read until more come, so that a secret split between two reads
// is still found.
type censorReader struct {
	src io.Reader
	c   *censor
	// buf is read and masked but may still hold the start of a secret;
	// out is ready to return; err is src's, returned once both are empty.
	buf, out []byte
	err      error
}

func (r *censorReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			if len(r.buf) == 0 {
				return 0, r.err
			}
			r.out, r.buf = r.buf, nil
			break
		}
		r.fill()
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// fill reads a chunk, masks and releases what can no longer be part of
// a secret.
func (r *censorReader) fill() {
	chunk := make([]byte, chunkSize)
	n, err := r.src.Read(chunk)
	r.buf = append(r.buf, chunk[:n]...)
	r.c.mask(r.buf)
	if err != nil {
		r.err = err
		return
	}
	if ready := len(r.buf) - (r.c.longest - 1); ready > 0 {
		r.out = append([]byte(nil), r.buf[:ready]...)
		r.buf = append(r.buf[:0], r.buf[ready:]...)
	}
}
