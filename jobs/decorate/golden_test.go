package decorate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/diff"
	"sigs.k8s.io/yaml"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// goldenDir holds Prow's own expected pods for its ProwJobToPod test.
var goldenDir = filepath.Join("..", "..", "test", "testdata", "prow", "pod-utils", "decorate")

func ptr[T any](v T) *T { return &v }

// goldenJob is the ProwJob every golden case starts from: a presubmit of
// org-name/repo-name checked out at somewhere/else, running /bin/thing.
func goldenJob(headRef string) *prowapi.ProwJob {
	pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{
		Type:    prowapi.PresubmitJob,
		Job:     "job-name",
		Context: "job-context",
		Refs: &prowapi.Refs{
			Org: "org-name", Repo: "repo-name", BaseRef: "base-ref", BaseSHA: "base-sha", PathAlias: "somewhere/else",
			Pulls: []prowapi.Pull{{Number: 1, Author: "author-name", SHA: "pull-sha", Title: "pull-title", HeadRef: headRef}},
		},
		PodSpec: &corev1.PodSpec{Containers: []corev1.Container{{
			Image: "tester", Command: []string{"/bin/thing"}, Args: []string{"some", "args"},
			Env: []corev1.EnvVar{{Name: "MY_ENV", Value: "rocks"}},
		}}},
	}}
	pj.Name = "pod"
	pj.Labels = map[string]string{"needstobe": "inherited"}
	pj.Status.BuildID = "blabla"
	return pj
}

// goldenDecoration is the decoration config the decorated cases share.
func goldenDecoration() *prowapi.DecorationConfig {
	return &prowapi.DecorationConfig{
		Timeout:     prowapi.NewDuration(2 * time.Hour),
		GracePeriod: prowapi.NewDuration(10 * time.Second),
		UtilityImages: &prowapi.UtilityImages{
			CloneRefs: "clonerefs:tag", InitUpload: "initupload:tag", Entrypoint: "entrypoint:tag", Sidecar: "sidecar:tag",
		},
		GCSConfiguration: &prowapi.GCSConfiguration{
			Bucket: "my-bucket", PathStrategy: prowapi.PathStrategyLegacy, DefaultOrg: "kubernetes", DefaultRepo: "kubernetes",
		},
	}
}

// goldenCases are the inputs of Prow's TestProwJobToPod_<n>.yaml,
// indexed by n.
func goldenCases() []*prowapi.ProwJob {
	extraRefs := []prowapi.Refs{{Org: "extra-org", Repo: "extra-repo"}}
	logMediaType := map[string]string{"log": "text/plain"}
	cases := make([]*prowapi.ProwJob, 11)

	cases[0] = goldenJob("pull-branch-name") // not decorated
	cases[0].Spec.Refs.PathAlias = ""
	cases[0].Spec.PodSpec.Containers[0].Command, cases[0].Spec.PodSpec.Containers[0].Args = nil, nil

	cases[1] = decorated("my-big-change", func(dc *prowapi.DecorationConfig) {
		dc.GCSConfiguration.MediaTypes = logMediaType
		dc.GCSCredentialsSecret, dc.CookiefileSecret = ptr("secret-name"), ptr("yummy/.gitcookies")
	})
	cases[2] = decorated("fix-typos-99", func(dc *prowapi.DecorationConfig) {
		dc.GCSCredentialsSecret, dc.CookiefileSecret = ptr("secret-name"), ptr("yummy")
	})
	cases[3] = decorated("fixes-fixes-fixes", func(dc *prowapi.DecorationConfig) {
		dc.GCSCredentialsSecret = ptr("secret-name")
		dc.SSHKeySecrets, dc.SSHHostFingerprints = []string{"ssh-1", "ssh-2"}, []string{"hello", "world"}
	})
	cases[3].Spec.PodSpec.Containers[0].TerminationMessagePolicy = corev1.TerminationMessageReadFile
	cases[4] = decorated("fixes-9", withSSHKeys)
	cases[5] = decorated("", withSSHKeys)
	cases[5].Spec.Type, cases[5].Spec.Refs = prowapi.PeriodicJob, nil
	cases[6] = decorated("best-branch-name", func(dc *prowapi.DecorationConfig) {
		withSSHKeys(dc)
		dc.SkipCloning = ptr(true)
	})
	cases[6].Spec.ExtraRefs = extraRefs
	cases[7] = decorated("pr-head-ref-11", func(dc *prowapi.DecorationConfig) {
		withSSHKeys(dc)
		dc.CookiefileSecret = ptr("yummy")
	})
	cases[7].Spec.ExtraRefs = extraRefs
	first := cases[7].Spec.PodSpec.Containers[0]
	first.Name = "test-0"
	cases[7].Spec.PodSpec.Containers = []corev1.Container{first, {
		Name: "test-1", Image: "othertester", Command: []string{"/bin/otherthing"}, Args: []string{"other", "args"},
		Env: []corev1.EnvVar{{Name: "MY_ENV", Value: "stones"}},
	}}
	withServiceAccount := func(dc *prowapi.DecorationConfig) {
		dc.GCSConfiguration.MediaTypes = logMediaType
		dc.DefaultServiceAccountName, dc.CookiefileSecret = ptr("default-SA"), ptr("yummy/.gitcookies")
	}
	withUsers := func(dc *prowapi.DecorationConfig) {
		withServiceAccount(dc)
		dc.RunAsUser, dc.RunAsGroup, dc.FsGroup = ptr[int64](1000), ptr[int64](1000), ptr[int64](2000)
	}
	cases[8] = decorated("orig-branch-name", withServiceAccount)
	cases[9] = decorated("orig-branch-name", withUsers)
	cases[10] = decorated("orig-branch-name", func(dc *prowapi.DecorationConfig) {
		withUsers(dc)
		dc.SchedulingOptions = &prowapi.SchedulingOptions{
			Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
				PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{{
					Weight: 10,
					Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{
						Key: "node-type", Operator: corev1.NodeSelectorOpIn, Values: []string{"prowjobs"},
					}}},
				}},
			}},
			Tolerations: []corev1.Toleration{{Key: "prow.k8s.io/schedulable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}},
		}
	})
	cases[10].Spec.Refs.Pulls[0].Title = ""
	return cases
}

func decorated(headRef string, configure func(*prowapi.DecorationConfig)) *prowapi.ProwJob {
	pj := goldenJob(headRef)
	pj.Spec.DecorationConfig = goldenDecoration()
	configure(pj.Spec.DecorationConfig)
	return pj
}

func withSSHKeys(dc *prowapi.DecorationConfig) {
	dc.GCSCredentialsSecret = ptr("secret-name")
	dc.SSHKeySecrets = []string{"ssh-1", "ssh-2"}
}

// TestDecoratedPodsMatchProwsGoldenPods builds the pod of each input of
// Prow's ProwJobToPod test and compares it with Prow's expected pod: the
// same labels, containers, env (option JSON compared as JSON), mounts
// and volumes, once the subcommand arguments of our single binary are
// taken out.
//
// With Options.Image every utility container runs that image instead of
// its utility_images entry, and nothing else changes.
func TestDecoratedPodsMatchProwsGoldenPods(t *testing.T) {
	const prowImage = "prowbot/prow:v1"
	for i, pj := range goldenCases() {
		name := fmt.Sprintf("TestProwJobToPod_%d", i)
		for _, opts := range []Options{{}, {Image: prowImage}} {
			t.Run(name+"/image="+opts.Image, func(t *testing.T) {
				want := readGolden(t, filepath.Join(goldenDir, name+".yaml"))
				got, err := ProwJobToPod(pj, opts)
				if err != nil {
					t.Fatal(err)
				}
				assertSubcommands(t, got)
				if opts.Image != "" {
					withConfiguredImages(t, got, pj.Spec.DecorationConfig, opts.Image)
				}
				got = roundTrip(t, got)
				withoutSubcommands(got)
				normalizeJSONEnv(want)
				normalizeJSONEnv(got)
				if !equality.Semantic.DeepEqual(want, got) {
					t.Errorf("the pod differs from Prow's (- Prow, + ours):\n%s", diff.Diff(want, got))
				}
			})
		}
	}
}

// withConfiguredImages checks that every utility container runs image
// and puts the configured utility images back.
func withConfiguredImages(t *testing.T, pod *corev1.Pod, dc *prowapi.DecorationConfig, image string) {
	t.Helper()
	if dc == nil {
		return
	}
	configured := map[string]string{
		cloneRefsName: dc.UtilityImages.CloneRefs, initUploadName: dc.UtilityImages.InitUpload,
		placeEntrypointName: dc.UtilityImages.Entrypoint, sidecarName: dc.UtilityImages.Sidecar,
	}
	for _, cs := range [][]corev1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range cs {
			img, ok := configured[cs[i].Name]
			if !ok {
				continue
			}
			if cs[i].Image != image {
				t.Errorf("container %s runs %s, want %s", cs[i].Name, cs[i].Image, image)
			}
			cs[i].Image = img
		}
	}
}

func readGolden(t *testing.T, file string) *corev1.Pod {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("Prow's golden pods are expected in %s: %v", goldenDir, err)
	}
	var pod corev1.Pod
	if err := yaml.UnmarshalStrict(data, &pod); err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	return &pod
}

// roundTrip passes the pod through YAML, as the golden pods were.
func roundTrip(t *testing.T, pod *corev1.Pod) *corev1.Pod {
	t.Helper()
	data, err := yaml.Marshal(pod)
	if err != nil {
		t.Fatal(err)
	}
	var back corev1.Pod
	if err := yaml.UnmarshalStrict(data, &back); err != nil {
		t.Fatal(err)
	}
	return &back
}

// subcommands are the prow subcommands the utility containers run.
var subcommands = map[string]string{
	cloneRefsName: "clonerefs", initUploadName: "initupload", placeEntrypointName: "entrypoint", sidecarName: "sidecar",
}

// assertSubcommands checks what withoutSubcommands takes out: each
// utility container's first argument is its subcommand, and wrapped
// test containers run `/tools/entrypoint entrypoint`.
func assertSubcommands(t *testing.T, pod *corev1.Pod) {
	t.Helper()
	for _, c := range append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		if sub, ok := subcommands[c.Name]; ok {
			if len(c.Args) == 0 || c.Args[0] != sub {
				t.Errorf("container %s runs %q, want the %s subcommand first", c.Name, c.Args, sub)
			}
			continue
		}
		if len(c.Command) > 0 && c.Command[0] == EntrypointPath && (len(c.Args) != 1 || c.Args[0] != "entrypoint") {
			t.Errorf("test container %s runs %q %q, want /tools/entrypoint entrypoint", c.Name, c.Command, c.Args)
		}
	}
}

// withoutSubcommands undoes the one deliberate difference from Prow's
// pods: the subcommand arguments of the single prow binary.
func withoutSubcommands(pod *corev1.Pod) {
	strip := func(cs []corev1.Container) {
		for i := range cs {
			c := &cs[i]
			_, utility := subcommands[c.Name]
			wrapped := len(c.Command) > 0 && c.Command[0] == EntrypointPath
			if (utility || wrapped) && len(c.Args) > 0 {
				c.Args = c.Args[1:]
				if len(c.Args) == 0 {
					c.Args = nil
				}
			}
		}
	}
	strip(pod.Spec.InitContainers)
	strip(pod.Spec.Containers)
}

// normalizeJSONEnv rewrites every env value that is a JSON object in a
// canonical form (sorted keys), so that option JSON compares by value.
func normalizeJSONEnv(pod *corev1.Pod) {
	for _, cs := range [][]corev1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range cs {
			for j, e := range cs[i].Env {
				if !strings.HasPrefix(e.Value, "{") {
					continue
				}
				var v any
				if json.Unmarshal([]byte(e.Value), &v) != nil {
					continue
				}
				canonical, _ := json.Marshal(v)
				cs[i].Env[j].Value = string(canonical)
			}
		}
	}
}
