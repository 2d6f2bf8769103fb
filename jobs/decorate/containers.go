package decorate

import (
	"fmt"
	"path"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The utility containers, and the subcommands of the prow binary they
// run.
const (
	cloneRefsName       = "clonerefs"
	initUploadName      = "initupload"
	placeEntrypointName = "place-entrypoint"
	sidecarName         = "sidecar"
	entrypointCommand   = "entrypoint"
)

// defaultGitHubAPI is where clonerefs asks GitHub, unless told.
const defaultGitHubAPI = "https://api.github.com"

// utility is a utility container running the prow binary's subcommand
// with args, from configured or, when set, Options.Image.
func (o Options) utility(name, configured, subcommand string, args ...string) (corev1.Container, error) {
	image := configured
	if o.Image != "" {
		image = o.Image
	}
	if image == "" {
		return corev1.Container{}, fmt.Errorf("no image for the %s container: set utility_images.%s", name, subcommand)
	}
	return corev1.Container{Name: name, Image: image, Args: append([]string{subcommand}, args...)}, nil
}

func images(dc *prowapi.DecorationConfig) prowapi.UtilityImages {
	if dc.UtilityImages == nil {
		return prowapi.UtilityImages{}
	}
	return *dc.UtilityImages
}

func resources(r *corev1.ResourceRequirements) corev1.ResourceRequirements {
	if r == nil {
		return corev1.ResourceRequirements{}
	}
	return *r.DeepCopy()
}

func utilityResources(dc *prowapi.DecorationConfig) prowapi.Resources {
	if dc.Resources == nil {
		return prowapi.Resources{}
	}
	return *dc.Resources
}

// cloneRefs is the clonerefs container of pj, the refs it clones and the
// volumes it needs; nil when nothing is cloned.
func cloneRefs(pj *prowapi.ProwJob, opts Options) (*corev1.Container, []prowapi.Refs, []corev1.Volume, error) {
	dc := pj.Spec.DecorationConfig
	refs := clone.RefsOf(pj)
	if len(refs) == 0 || (dc.SkipCloning != nil && *dc.SkipCloning) {
		return nil, nil, nil, nil
	}
	co := options.CloneRefs{
		SrcRoot: CodeMountPath, Log: CloneLogPath,
		GitUserName: clone.DefaultUserName, GitUserEmail: clone.DefaultUserEmail,
		Refs: refs, HostFingerprints: dc.SSHHostFingerprints,
		GitHubAPIEndpoints: dc.GitHubAPIEndpoints, GitHubAppID: dc.GitHubAppID,
	}
	if len(co.GitHubAPIEndpoints) == 0 {
		co.GitHubAPIEndpoints = []string{defaultGitHubAPI}
	}
	var vols []corev1.Volume
	var mounts []corev1.VolumeMount
	add := func(v corev1.Volume, m corev1.VolumeMount) {
		vols, mounts = append(vols, v), append(mounts, m)
	}
	for _, secret := range dc.SSHKeySecrets {
		v, m := sshVolume(secret)
		add(v, m)
		co.KeyFiles = append(co.KeyFiles, m.MountPath)
	}
	if s := dc.OauthTokenSecret; s != nil {
		add(keyVolume(s.Name, s.Key, oauthMountPath))
		co.OauthTokenFile = path.Join(oauthMountPath, s.Key)
	}
	if s := dc.GitHubAppPrivateKeySecret; s != nil {
		add(keyVolume(s.Name, s.Key, githubAppMountDir))
		co.GitHubAppPrivateKeyFile = path.Join(githubAppMountDir, s.Key)
	}
	add(emptyDir(cloneTmpVolume), corev1.VolumeMount{Name: cloneTmpVolume, MountPath: "/tmp"})
	var args []string
	if s := dc.CookiefileSecret; s != nil && *s != "" {
		v, m, file := cookiefileVolume(*s)
		add(v, m)
		co.CookiePath = file
		args = append(args, "--cookiefile="+file)
	}
	env, err := optionsEnv(options.CloneRefsEnv, co)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := opts.utility(cloneRefsName, images(dc).CloneRefs, "clonerefs", args...)
	if err != nil {
		return nil, nil, nil, err
	}
	c.Env = env
	c.VolumeMounts = append([]corev1.VolumeMount{logsMount(), codeMount()}, mounts...)
	c.Resources = resources(utilityResources(dc).CloneRefs)
	return &c, refs, vols, nil
}

// optionsEnv is the variable holding a utility's options.
func optionsEnv(name string, v any) ([]corev1.EnvVar, error) {
	value, err := options.Encode(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return []corev1.EnvVar{{Name: name, Value: value}}, nil
}

// initUpload is the initupload container; cloneLog says whether there
// are clone records to upload.
func initUpload(dc *prowapi.DecorationConfig, gcs options.GCS, blobMounts []corev1.VolumeMount, cloneLog bool, jobSpec string, opts Options) (corev1.Container, error) {
	io := options.InitUpload{GCS: gcs}
	var mounts []corev1.VolumeMount
	if cloneLog {
		io.Log = CloneLogPath
		mounts = append(mounts, logsMount())
	}
	mounts = append(mounts, blobMounts...)
	value, err := options.Encode(io)
	if err != nil {
		return corev1.Container{}, fmt.Errorf("%s: %w", options.InitUploadEnv, err)
	}
	c, err := opts.utility(initUploadName, images(dc).InitUpload, "initupload")
	if err != nil {
		return c, err
	}
	c.Env = kubeEnv(map[string]string{downward.JobSpecEnv: jobSpec, options.InitUploadEnv: value})
	c.VolumeMounts = mounts
	c.Resources = resources(utilityResources(dc).InitUpload)
	return c, nil
}

// placeEntrypoint is the init container that copies the prow binary to
// /tools/entrypoint.
func placeEntrypoint(dc *prowapi.DecorationConfig, opts Options) (corev1.Container, error) {
	c, err := opts.utility(placeEntrypointName, images(dc).Entrypoint, entrypointCommand, "--copy-mode-only")
	if err != nil {
		return c, err
	}
	c.VolumeMounts = []corev1.VolumeMount{toolsMount()}
	c.Resources = resources(utilityResources(dc).PlaceEntrypoint)
	return c, nil
}

// wrap makes /tools/entrypoint run c's command, its output and marker
// named after prefix (when there are several test containers).
func wrap(c *corev1.Container, timeout, grace time.Duration, prefix string) (options.Wrapper, error) {
	name := func(single, suffix string) string {
		if prefix == "" {
			return single
		}
		return prefix + suffix
	}
	w := options.Wrapper{
		Args:          append(append([]string{}, c.Command...), c.Args...),
		ContainerName: c.Name,
		ProcessLog:    path.Join(LogsMountPath, name("process-log.txt", "-log.txt")),
		MarkerFile:    path.Join(LogsMountPath, name("marker-file.txt", "-marker.txt")),
		MetadataFile:  path.Join(ArtifactsPath, name("metadata.json", "-metadata.json")),
	}
	env, err := optionsEnv(options.EntrypointEnv, options.Entrypoint{Timeout: timeout, GracePeriod: grace, ArtifactDir: ArtifactsPath, Wrapper: w})
	if err != nil {
		return w, err
	}
	c.Command = []string{EntrypointPath}
	c.Args = []string{entrypointCommand}
	c.Env = append(c.Env, env...)
	c.VolumeMounts = append(c.VolumeMounts, logsMount(), toolsMount())
	return w, nil
}

// sidecar is the sidecar container waiting for the wrapped commands.
func sidecar(dc *prowapi.DecorationConfig, gcs options.GCS, blobMounts, secretMounts []corev1.VolumeMount, jobSpec string, wrappers []options.Wrapper, opts Options) (corev1.Container, error) {
	gcs.Items = append(append([]string{}, gcs.Items...), ArtifactsPath)
	censoring := &options.Censoring{}
	for _, m := range secretMounts {
		censoring.SecretDirectories = append(censoring.SecretDirectories, m.MountPath)
	}
	if co := dc.CensoringOptions; co != nil {
		censoring.CensoringConcurrency = co.CensoringConcurrency
		censoring.CensoringBufferSize = co.CensoringBufferSize
		censoring.IncludeDirectories = co.IncludeDirectories
		censoring.ExcludeDirectories = co.ExcludeDirectories
		censoring.MinimumSecretLength = co.MinimumSecretLength
	}
	so := options.Sidecar{
		GCS: gcs, Entries: wrappers, CensoringOptions: censoring,
		IgnoreInterrupts: dc.UploadIgnoresInterrupts != nil && *dc.UploadIgnoresInterrupts,
	}
	value, err := options.Encode(so)
	if err != nil {
		return corev1.Container{}, fmt.Errorf("%s: %w", options.SidecarEnv, err)
	}
	c, err := opts.utility(sidecarName, images(dc).Sidecar, "sidecar")
	if err != nil {
		return c, err
	}
	c.Env = kubeEnv(map[string]string{downward.JobSpecEnv: jobSpec, options.SidecarEnv: value})
	c.VolumeMounts = append(append([]corev1.VolumeMount{logsMount()}, blobMounts...), secretMounts...)
	c.TerminationMessagePolicy = corev1.TerminationMessageFallbackToLogsOnError
	c.Resources = resources(utilityResources(dc).Sidecar)
	return c, nil
}
