package lens

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Case is one test case of a JUnit report.
type Case struct {
	Suite   string
	Class   string
	Name    string
	Time    float64
	Failed  bool
	Skipped bool
	// Message is the failure's (or skip's) message attribute.
	Message string
	// Output is the failure's body: usually the assertion and its trace.
	Output string
	// File is the report the case came from.
	File string
	// SourceFile and SourceLine are where the test is, when the report
	// says (the file and line attributes of <testcase>, as pytest and
	// other tools write them).
	SourceFile string
	SourceLine int
}

// JUnit sums up the reports of one build.
type JUnit struct {
	Tests, Failures, Skipped int
	// Cases are the failed cases first, then the others, each in file
	// order.
	Cases []Case
}

// Passed is the number of cases that neither failed nor were skipped.
func (j *JUnit) Passed() int { return j.Tests - j.Failures - j.Skipped }

// FailedCases returns the failed cases.
func (j *JUnit) FailedCases() []Case { return j.Cases[:j.Failures] }

type xmlSuites struct {
	Suites []xmlSuite `xml:"testsuite"`
}

type xmlSuite struct {
	Name   string     `xml:"name,attr"`
	Cases  []xmlCase  `xml:"testcase"`
	Suites []xmlSuite `xml:"testsuite"`
}

type xmlCase struct {
	Name      string      `xml:"name,attr"`
	Class     string      `xml:"classname,attr"`
	Time      float64     `xml:"time,attr"`
	File      string      `xml:"file,attr"`
	Line      string      `xml:"line,attr"`
	Failure   *xmlFailure `xml:"failure"`
	Error     *xmlFailure `xml:"error"`
	Skipped   *xmlFailure `xml:"skipped"`
	SystemOut string      `xml:"system-out"`
}

type xmlFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// ParseJUnit reads one report (a <testsuites> or a <testsuite> root) and
// adds its cases.
func (j *JUnit) ParseJUnit(file string, data []byte) error {
	var root struct {
		XMLName xml.Name
	}
	if err := xml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("parse JUnit report %s: %w", file, err)
	}
	var suites []xmlSuite
	switch root.XMLName.Local {
	case "testsuites":
		var s xmlSuites
		if err := xml.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
			return fmt.Errorf("parse JUnit report %s: %w", file, err)
		}
		suites = s.Suites
	case "testsuite":
		var s xmlSuite
		if err := xml.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("parse JUnit report %s: %w", file, err)
		}
		suites = []xmlSuite{s}
	default:
		return fmt.Errorf("parse JUnit report %s: root element is <%s>, want <testsuites> or <testsuite>", file, root.XMLName.Local)
	}
	for _, s := range suites {
		j.addSuite(file, s)
	}
	return nil
}

func (j *JUnit) addSuite(file string, s xmlSuite) {
	for _, c := range s.Cases {
		tc := Case{Suite: s.Name, Class: c.Class, Name: c.Name, Time: c.Time, File: file, SourceFile: c.File}
		if n, err := strconv.Atoi(strings.TrimSpace(c.Line)); err == nil && n > 0 {
			tc.SourceLine = n
		}
		switch f := firstNonNil(c.Failure, c.Error); {
		case f != nil:
			tc.Failed, tc.Message, tc.Output = true, f.Message, strings.TrimSpace(f.Body)
			j.Failures++
		case c.Skipped != nil:
			tc.Skipped, tc.Message, tc.Output = true, c.Skipped.Message, strings.TrimSpace(c.Skipped.Body)
			j.Skipped++
		}
		j.Tests++
		j.Cases = append(j.Cases, tc)
	}
	for _, nested := range s.Suites {
		j.addSuite(file, nested)
	}
}

func firstNonNil(fs ...*xmlFailure) *xmlFailure {
	for _, f := range fs {
		if f != nil {
			return f
		}
	}
	return nil
}

// Sort puts the failed cases first, keeping file order within each kind.
func (j *JUnit) Sort() {
	sort.SliceStable(j.Cases, func(a, b int) bool { return j.Cases[a].Failed && !j.Cases[b].Failed })
}

// IsJUnitName says whether an artifact name is a JUnit report Prow's
// junit lens would read: artifacts/junit*.xml at any depth below
// artifacts/.
func IsJUnitName(rel string) bool {
	if !strings.HasPrefix(rel, "artifacts/") || !strings.HasSuffix(rel, ".xml") {
		return false
	}
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	return strings.HasPrefix(base, "junit")
}
