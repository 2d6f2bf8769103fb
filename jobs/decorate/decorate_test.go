package decorate

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func container(cs []corev1.Container, name string) *corev1.Container {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}

func envValue(c *corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func decodeEnv[T any](t *testing.T, c *corev1.Container, name string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(envValue(c, name)), &v); err != nil {
		t.Fatalf("%s of %s: %v", name, c.Name, err)
	}
	return v
}

func hasMount(c *corev1.Container, path string) bool {
	return slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.MountPath == path })
}

func TestDecoratePod(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pj    func() *prowapi.ProwJob
		check func(t *testing.T, pod *corev1.Pod)
	}{
		{
			name: "long job names are cut to a valid label and kept whole in the annotation",
			pj: func() *prowapi.ProwJob {
				pj := decorated("head", withSSHKeys)
				pj.Spec.Job = strings.Repeat("a", 62) + "-bbb"
				pj.Labels["path-like"] = "config/jobs/thing.yaml"
				pj.Labels["hopeless"] = "-/-"
				return pj
			},
			check: func(t *testing.T, pod *corev1.Pod) {
				if got := pod.Labels[prowapi.ProwJobAnnotation]; got != strings.Repeat("a", 62) {
					t.Errorf("job label %q", got)
				}
				if got := pod.Annotations[prowapi.ProwJobAnnotation]; got != strings.Repeat("a", 62)+"-bbb" {
					t.Errorf("job annotation %q", got)
				}
				if got := pod.Labels["path-like"]; got != "thing.yaml" {
					t.Errorf("an invalid label value should become its base name, got %q", got)
				}
				if _, ok := pod.Labels["hopeless"]; ok {
					t.Error("a label no base name can save should be dropped")
				}
			},
		},
		{
			name: "a periodic with extra refs is labeled by them and works in the one marked workdir",
			pj: func() *prowapi.ProwJob {
				pj := decorated("", withSSHKeys)
				pj.Spec.Type, pj.Spec.Refs = prowapi.PeriodicJob, nil
				pj.Spec.ExtraRefs = []prowapi.Refs{{Org: "a", Repo: "one", BaseRef: "main"}, {Org: "b", Repo: "two", BaseRef: "dev", WorkDir: true}}
				return pj
			},
			check: func(t *testing.T, pod *corev1.Pod) {
				if pod.Labels[prowapi.OrgLabel] != "a" || pod.Labels[prowapi.BaseRefLabel] != "main" {
					t.Errorf("labels %v", pod.Labels)
				}
				if wd := pod.Spec.Containers[0].WorkingDir; wd != "/home/prow/go/src/github.com/b/two" {
					t.Errorf("working directory %s", wd)
				}
			},
		},
		{
			name: "refs cloned from another host are found where clonerefs puts them",
			pj: func() *prowapi.ProwJob {
				pj := decorated("head", withSSHKeys)
				pj.Spec.Refs.PathAlias, pj.Spec.Refs.CloneURI = "", "https://git.example.com/org-name/repo-name.git"
				return pj
			},
			check: func(t *testing.T, pod *corev1.Pod) {
				test := &pod.Spec.Containers[0]
				if wd := test.WorkingDir; wd != "/home/prow/go/src/git.example.com/org-name/repo-name" {
					t.Errorf("working directory %s", wd)
				}
				if h := envValue(test, "SRC_HOST"); h != "git.example.com" {
					t.Errorf("SRC_HOST %s", h)
				}
			},
		},
		{
			name: "secrets mounted in the test are censored by the sidecar when censor_secrets is set",
			pj: func() *prowapi.ProwJob {
				pj := decorated("head", func(dc *prowapi.DecorationConfig) {
					dc.CensorSecrets = ptr(true)
					dc.CensoringOptions = &prowapi.CensoringOptions{ExcludeDirectories: []string{"junit*"}}
				})
				ps := pj.Spec.PodSpec
				ps.Volumes = []corev1.Volume{
					{Name: "creds", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "creds"}}},
					{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				}
				ps.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "creds", MountPath: "/etc/creds"}, {Name: "cache", MountPath: "/cache"}}
				return pj
			},
			check: func(t *testing.T, pod *corev1.Pod) {
				side := container(pod.Spec.Containers, sidecarName)
				so := decodeEnv[options.Sidecar](t, side, options.SidecarEnv)
				c := so.CensoringOptions
				if c == nil || !slices.Equal(c.SecretDirectories, []string{"/etc/creds"}) || !slices.Equal(c.ExcludeDirectories, []string{"junit*"}) {
					t.Errorf("censoring options %+v", c)
				}
				if !hasMount(side, "/etc/creds") || hasMount(side, "/cache") {
					t.Errorf("sidecar mounts %v", side.VolumeMounts)
				}
			},
		},
		{
			name: "the memory request is defaulted and the limit set to it, containers named after their logs",
			pj: func() *prowapi.ProwJob {
				pj := decorated("head", func(dc *prowapi.DecorationConfig) {
					dc.DefaultMemoryRequest = ptr(resource.MustParse("1Gi"))
					dc.SetLimitEqualsMemoryRequest = ptr(true)
					dc.UploadIgnoresInterrupts = ptr(true)
				})
				second := pj.Spec.PodSpec.Containers[0]
				second.Name = "second"
				second.Resources.Requests = corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("3Gi")}
				pj.Spec.PodSpec.Containers[0].Name = "first"
				pj.Spec.PodSpec.Containers = append(pj.Spec.PodSpec.Containers, second)
				return pj
			},
			check: func(t *testing.T, pod *corev1.Pod) {
				for name, want := range map[string]string{"first": "1Gi", "second": "3Gi"} {
					c := container(pod.Spec.Containers, name)
					req, lim := c.Resources.Requests[corev1.ResourceMemory], c.Resources.Limits[corev1.ResourceMemory]
					if req.String() != want || lim.String() != want {
						t.Errorf("%s: request %s, limit %s, want %s", name, req.String(), lim.String(), want)
					}
					ep := decodeEnv[options.Entrypoint](t, c, options.EntrypointEnv)
					if ep.ProcessLog != "/logs/"+name+"-log.txt" || ep.MarkerFile != "/logs/"+name+"-marker.txt" {
						t.Errorf("%s: entrypoint options %+v", name, ep)
					}
				}
				so := decodeEnv[options.Sidecar](t, container(pod.Spec.Containers, sidecarName), options.SidecarEnv)
				if !so.IgnoreInterrupts || len(so.Entries) != 2 {
					t.Errorf("sidecar options %+v", so)
				}
			},
		},
		{
			name: "an OAuth token and a GitHub App key are mounted for clonerefs only",
			pj: func() *prowapi.ProwJob {
				return decorated("head", func(dc *prowapi.DecorationConfig) {
					dc.OauthTokenSecret = &prowapi.OauthTokenSecret{Name: "oauth", Key: "token"}
					dc.GitHubAppID = "42"
					dc.GitHubAppPrivateKeySecret = &prowapi.GitHubAppPrivateKeySecret{Name: "app", Key: "key.pem"}
					dc.GitHubAPIEndpoints = []string{"http://ghproxy"}
				})
			},
			check: func(t *testing.T, pod *corev1.Pod) {
				cr := container(pod.Spec.InitContainers, cloneRefsName)
				co := decodeEnv[options.CloneRefs](t, cr, options.CloneRefsEnv)
				if co.OauthTokenFile != "/secrets/oauth/token" || co.GitHubAppPrivateKeyFile != "/secrets/github-app/key.pem" ||
					co.GitHubAppID != "42" || !slices.Equal(co.GitHubAPIEndpoints, []string{"http://ghproxy"}) {
					t.Errorf("clonerefs options %+v", co)
				}
				if !hasMount(cr, "/secrets/oauth") || !hasMount(cr, "/secrets/github-app") || hasMount(&pod.Spec.Containers[0], "/secrets/oauth") {
					t.Errorf("mounts of clonerefs %v", cr.VolumeMounts)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pj := tc.pj()
			before := pj.DeepCopy()
			pod, err := ProwJobToPod(pj, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !equality.Semantic.DeepEqual(before, pj) {
				t.Error("ProwJobToPod changed the ProwJob")
			}
			tc.check(t, pod)
		})
	}
}

func TestDecorateRefusesJobsItCannotRun(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		pj         func() *prowapi.ProwJob
		opts       Options
	}{
		{
			name: "no pod spec", want: "no pod spec",
			pj: func() *prowapi.ProwJob {
				pj := goldenJob("head")
				pj.Spec.PodSpec = nil
				return pj
			},
		},
		{
			name: "a presubmit without a pull request", want: "no pull request",
			pj: func() *prowapi.ProwJob {
				pj := goldenJob("head")
				pj.Spec.Refs.Pulls = nil
				return pj
			},
		},
		{
			name: "no utility image", want: "utility_images.clonerefs",
			pj: func() *prowapi.ProwJob {
				return decorated("head", func(dc *prowapi.DecorationConfig) { dc.UtilityImages.CloneRefs = "" })
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ProwJobToPod(tc.pj(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
