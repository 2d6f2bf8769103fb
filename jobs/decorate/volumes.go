package decorate

import (
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The volumes of a decorated pod and where they are mounted.
const (
	logsVolume        = "logs"
	LogsMountPath     = "/logs"
	toolsVolume       = "tools"
	ToolsMountPath    = "/tools"
	codeVolume        = "code"
	CodeMountPath     = "/home/prow/go"
	gcsVolume         = "gcs-credentials"
	gcsMountPath      = "/secrets/gcs"
	s3Volume          = "s3-credentials"
	s3MountPath       = "/secrets/s3-storage"
	cloneTmpVolume    = "clonerefs-tmp"
	cookieVolume      = "cookiefile"
	cookieMountPath   = "/secrets/cookiefile"
	sshMountDir       = "/secrets/ssh"
	oauthMountPath    = "/secrets/oauth"
	githubAppMountDir = "/secrets/github-app"
	// credentialsFile is the key of the storage credentials secrets.
	credentialsFile = "service-account.json"
)

// Paths in the logs and tools volumes.
const (
	ArtifactsPath  = LogsMountPath + "/artifacts"
	CloneLogPath   = LogsMountPath + "/clone.json"
	EntrypointPath = ToolsMountPath + "/entrypoint"
)

// secretMode is u+r, for keys and cookies.
const secretMode int32 = 0o400

func emptyDir(name string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
}

func secretVolume(name, secret string, mode *int32, items ...corev1.KeyToPath) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: secret, DefaultMode: mode, Items: items}}}
}

// The mounts of the logs, tools and code volumes.
func logsMount() corev1.VolumeMount {
	return corev1.VolumeMount{Name: logsVolume, MountPath: LogsMountPath}
}

func toolsMount() corev1.VolumeMount {
	return corev1.VolumeMount{Name: toolsVolume, MountPath: ToolsMountPath}
}

func codeMount() corev1.VolumeMount {
	return corev1.VolumeMount{Name: codeVolume, MountPath: CodeMountPath}
}

// blobStorage is the storage credentials volumes, their mounts and the
// upload options of initupload and sidecar.
func blobStorage(dc *prowapi.DecorationConfig) ([]corev1.Volume, []corev1.VolumeMount, options.GCS) {
	opts := options.GCS{GCSConfiguration: dc.GCSConfiguration}
	var vols []corev1.Volume
	var mounts []corev1.VolumeMount
	if s := dc.GCSCredentialsSecret; s != nil && *s != "" {
		vols = append(vols, secretVolume(gcsVolume, *s, nil))
		mounts = append(mounts, corev1.VolumeMount{Name: gcsVolume, MountPath: gcsMountPath})
		opts.GCSCredentialsFile = path.Join(gcsMountPath, credentialsFile)
	}
	if s := dc.S3CredentialsSecret; s != nil && *s != "" {
		vols = append(vols, secretVolume(s3Volume, *s, nil))
		mounts = append(mounts, corev1.VolumeMount{Name: s3Volume, MountPath: s3MountPath})
		opts.S3CredentialsFile = path.Join(s3MountPath, credentialsFile)
	}
	return vols, mounts, opts
}

// sshVolume is the volume and read-only mount of an SSH key secret.
func sshVolume(secret string) (corev1.Volume, corev1.VolumeMount) {
	mode := secretMode
	name := "ssh-keys-" + secret
	return secretVolume(name, secret, &mode), corev1.VolumeMount{Name: name, MountPath: path.Join(sshMountDir, secret), ReadOnly: true}
}

// keyVolume is the volume and read-only mount of one key of a secret.
func keyVolume(secret, key, dir string) (corev1.Volume, corev1.VolumeMount) {
	return secretVolume(secret, secret, nil, corev1.KeyToPath{Key: key, Path: "./" + key}),
		corev1.VolumeMount{Name: secret, MountPath: dir, ReadOnly: true}
}

// cookieVolume is the volume and mount of a cookie file secret, given as
// secret-name or secret-name/key, and the cookie file's path.
func cookiefileVolume(secret string) (corev1.Volume, corev1.VolumeMount, string) {
	name, key, ok := strings.Cut(secret, "/")
	if !ok {
		key = name
	}
	mode := secretMode
	return secretVolume(cookieVolume, name, &mode),
		corev1.VolumeMount{Name: cookieVolume, MountPath: cookieMountPath, ReadOnly: true},
		path.Join(cookieMountPath, key)
}
