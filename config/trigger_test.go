package config

import (
	"regexp"
	"testing"
)

func TestDefaultTriggerMatchesLikeTheRegex(t *testing.T) {
	names := []string{"unit", "pull-kubernetes-e2e", "job.v1", "a"}
	bodies := []string{
		"/test unit", "/test unit\n", "/test  unit", "/test unit,", "/test unit, other", "/test unit other",
		"/test other unit", "/test other  unit", "/test unitx", "/test xunit", "/testunit", "/test unit\r",
		"please\n/test unit\nthanks", " /test unit", "/test", "/test ", "/test all", "/test jobxv1", "/test job.v1",
		"/test a,b", "/test a\tb", "/test x,unit", "/retest", "/test other\n/test unit", "/test unit,,", "/test\tunit",
	}
	for _, name := range names {
		re := regexp.MustCompile(DefaultTriggerFor(name))
		for _, body := range bodies {
			if got, want := defaultTriggerMatches(name, body), re.MatchString(body); got != want {
				t.Errorf("name %q body %q: got %v, the regex says %v", name, body, got, want)
			}
		}
	}
}

func FuzzDefaultTriggerMatches(f *testing.F) {
	f.Add("unit", "/test unit")
	f.Add("a.b", "/test x a-b,")
	f.Fuzz(func(t *testing.T, name, body string) {
		if !jobNameRe.MatchString(name) {
			return
		}
		re := regexp.MustCompile(DefaultTriggerFor(name))
		if got, want := defaultTriggerMatches(name, body), re.MatchString(body); got != want {
			t.Fatalf("name %q body %q: got %v, the regex says %v", name, body, got, want)
		}
	})
}

func FuzzValidJobNameIsTheNameRegex(f *testing.F) {
	for _, s := range []string{"unit", "pull-kubernetes-e2e.gce_1", "", "a b", "ü", "a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := validJobName(name), jobNameRe.MatchString(name); got != want {
			t.Fatalf("validJobName(%q) = %v, the regex says %v", name, got, want)
		}
	})
}
