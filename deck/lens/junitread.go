package lens

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/prow/storage"
)

// Limits of ReadJUnit.
const (
	// MaxJUnitReport is the largest report read, in bytes.
	MaxJUnitReport = 20 << 20
	// MaxJUnitReports is how many reports of one build are read.
	MaxJUnitReports = 100
)

// ReadJUnit reads the JUnit reports of the build directory dir (no
// trailing slash) of b, those the junit lens shows (IsJUnitName), and
// sums them up with the failed cases first. A report that is too large,
// cannot be read or does not parse is left out and named in the
// problems; a listing that fails is an error.
func ReadJUnit(ctx context.Context, b storage.Bucket, dir string) (JUnit, []error, error) {
	var j JUnit
	var problems []error
	prefix := dir + "/" + storage.ArtifactsDir
	read := 0
	for e, err := range b.List(ctx, storage.ListOptions{Prefix: prefix}) {
		if err != nil {
			return JUnit{}, nil, fmt.Errorf("list %s: %w", b.URL(prefix), err)
		}
		rel := strings.TrimPrefix(e.Name, dir+"/")
		if e.IsPrefix || !IsJUnitName(rel) {
			continue
		}
		if read == MaxJUnitReports {
			problems = append(problems, fmt.Errorf("more than %d JUnit reports: the rest are not read", MaxJUnitReports))
			break
		}
		read++
		if e.Size > MaxJUnitReport {
			problems = append(problems, fmt.Errorf("%s is larger than %d bytes: not read", rel, MaxJUnitReport))
			continue
		}
		data, err := b.Read(ctx, e.Name)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if err := j.ParseJUnit(rel, data); err != nil {
			problems = append(problems, err)
		}
	}
	j.Sort()
	return j, problems, nil
}
