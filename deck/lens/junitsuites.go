package lens

// SuiteView is one test suite as the junit lens shows it. A test that
// failed in one run and passed in another (a retry) is flaky, not
// failed.
type SuiteView struct {
	Name                           string
	Failed, Flaky, Skipped, Passed []Case
	Time                           float64
}

// Totals are the counts of the junit lens, one per test (runs of the
// same test count once).
type Totals struct {
	Tests, Failed, Flaky, Skipped, Passed int
	Time                                  float64
}

// Suites groups the cases by suite, in the order the suites first
// appear, and sorts each test into failed, flaky, skipped or passed.
func (j *JUnit) Suites() ([]SuiteView, Totals) {
	type key struct{ suite, class, name string }
	type runs struct {
		first      Case
		fail       *Case
		pass, skip bool
	}
	var order []key
	byKey := map[key]*runs{}
	for _, c := range j.Cases {
		k := key{c.Suite, c.Class, c.Name}
		r := byKey[k]
		if r == nil {
			r = &runs{first: c}
			byKey[k] = r
			order = append(order, k)
		} else {
			r.first.Time += c.Time
		}
		switch {
		case c.Failed:
			if r.fail == nil {
				cc := c
				r.fail = &cc
			}
		case c.Skipped:
			r.skip = true
		default:
			r.pass = true
		}
	}
	var suites []SuiteView
	index := map[string]int{}
	var t Totals
	for _, k := range order {
		r := byKey[k]
		i, ok := index[k.suite]
		if !ok {
			i = len(suites)
			index[k.suite] = i
			suites = append(suites, SuiteView{Name: k.suite})
		}
		s := &suites[i]
		c := r.first
		s.Time += c.Time
		t.Time += c.Time
		t.Tests++
		switch {
		case r.fail != nil && r.pass:
			f := *r.fail
			f.Time = c.Time
			s.Flaky = append(s.Flaky, f)
			t.Flaky++
		case r.fail != nil:
			f := *r.fail
			f.Time = c.Time
			s.Failed = append(s.Failed, f)
			t.Failed++
		case r.pass:
			s.Passed = append(s.Passed, c)
			t.Passed++
		default:
			s.Skipped = append(s.Skipped, c)
			t.Skipped++
		}
	}
	return suites, t
}
