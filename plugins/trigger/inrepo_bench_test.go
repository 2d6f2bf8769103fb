package trigger_test

import (
	"fmt"
	"testing"

	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/test/harness"
)

// BenchmarkInRepoTrigger triggers pull requests of a repository whose
// jobs come from its .prow.yaml, through hook, the sandbox and a real git
// cache. cold: each pull request is new: its branch is pushed (the push
// reads the pushed commit's .prow.yaml for postsubmits, as Prow does)
// and the pull request opened (a merge of its head into the base, read
// once), so two reads; warm: /test all on a pull request whose revision
// was read already, no read. reads/PR is how many times the in-repo
// configuration was read per pull request triggered.
func BenchmarkInRepoTrigger(b *testing.B) {
	start := func(b *testing.B) (*harness.Env, *inrepo.Getter) {
		env, _, getter := startInRepo(b, 0)
		// The clone of the repository is made before the clock starts.
		env.OpenPull("member", "demo", "hello", "warmup", "main", "Warm up", map[string]string{"w.txt": "w\n"})
		return env, getter
	}
	b.Run("cold", func(b *testing.B) {
		env, getter := start(b)
		before := getter.Reads()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			env.OpenPull("member", "demo", "hello", fmt.Sprintf("cold-%d", i), "main", "Change", map[string]string{"a.txt": fmt.Sprint(i)})
		}
		b.StopTimer()
		b.ReportMetric(float64(getter.Reads()-before)/float64(b.N), "reads/PR")
	})
	b.Run("warm", func(b *testing.B) {
		env, getter := start(b)
		n := env.OpenPull("member", "demo", "hello", "warm", "main", "Change", map[string]string{"a.txt": "a\n"})
		before := getter.Reads()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			env.Comment("member", "demo", "hello", n, "/test all")
		}
		b.StopTimer()
		b.ReportMetric(float64(getter.Reads()-before)/float64(b.N), "reads/PR")
	})
}
