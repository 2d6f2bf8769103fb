package lens_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/prow/storage"
)

func TestReadJUnitReadsTheReportsTheLensShows(t *testing.T) {
	b, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	const dir = "logs/job/1"
	for name, content := range map[string]string{
		"artifacts/junit_unit.xml": `<testsuite name="unit"><testcase classname="pkg" name="TestA" file="pkg/a_test.go" line="12">` +
			`<failure message="want 1">got 2</failure></testcase><testcase name="TestB" line="x"/></testsuite>`,
		"artifacts/e2e/junit_e2e.xml": `<testsuites><testsuite name="e2e"><testcase name="TestC"><error message="crashed"/></testcase></testsuite></testsuites>`,
		"artifacts/junit_broken.xml":  `<testsuite`,
		"artifacts/results.xml":       `<testsuite name="not read"><testcase name="TestD"><failure/></testcase></testsuite>`,
		"junit_outside.xml":           `<testsuite name="not read"><testcase name="TestE"><failure/></testcase></testsuite>`,
	} {
		if _, err := b.Write(t.Context(), dir+"/"+name, strings.NewReader(content), storage.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	j, problems, err := lens.ReadJUnit(t.Context(), b, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "artifacts/junit_broken.xml") {
		t.Errorf("problems: %v", problems)
	}
	if j.Tests != 3 || j.Failures != 2 {
		t.Fatalf("%d tests, %d failures: %+v", j.Tests, j.Failures, j.Cases)
	}
	var failed []string
	for _, c := range j.FailedCases() {
		failed = append(failed, c.Name)
	}
	if strings.Join(failed, ",") != "TestC,TestA" {
		t.Errorf("failed cases, in file order: %v", failed)
	}
	a := j.FailedCases()[1]
	if a.SourceFile != "pkg/a_test.go" || a.SourceLine != 12 || a.File != "artifacts/junit_unit.xml" || a.Message != "want 1" {
		t.Errorf("TestA: %+v", a)
	}
	if last := j.Cases[2]; last.Name != "TestB" || last.SourceLine != 0 {
		t.Errorf("a line that is not a number is no line: %+v", last)
	}
}
