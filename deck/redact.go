package deck

import (
	"regexp"
	"strings"
)

// redacted replaces every secret value /config would show.
const redacted = "REDACTED"

// secretWords in a field's name (lower case, without _ - and .) mark its
// value as a secret: tokens, passwords, API and private keys, client and
// cookie secrets, HMAC keys, credentials.
var secretWords = []string{"secret", "token", "password", "passwd", "passphrase", "apikey", "privatekey",
	"accesskey", "secretkey", "signingkey", "hmac", "credential", "webhookurl", "bearer"}

// referenceKeys name a Kubernetes Secret or a file that holds the secret,
// never the secret itself; they stay so that a configuration can be
// debugged. So do fields whose name ends in one of referenceEnds
// (secretName, secretKeyRef, token_path, hmac_secret_file, ...), and the
// times and flags whose name only mentions a secret.
var referenceKeys = map[string]bool{
	"gcscredentialssecret": true, "s3credentialssecret": true, "sshkeysecrets": true, "cookiefilesecret": true,
	"tokencreatedafter": true, "respectlegacyglobaltoken": true, "censorsecrets": true, "minimumsecretlength": true,
}

var referenceEnds = []string{"name", "names", "ref", "path", "paths", "file", "files", "dir", "length", "after"}

// secretShape is a secret recognized by its shape wherever it is; the
// regular expression runs only on strings that contain hint.
type secretShape struct {
	hint string
	re   *regexp.Regexp
}

// secretValues are Slack and GitHub tokens, private key blocks, AWS
// access key IDs and Slack webhook URLs.
var secretValues = []secretShape{
	{"xox", regexp.MustCompile(`xox[abeoprs]-[A-Za-z0-9-]{6,}`)},
	{"gh", regexp.MustCompile(`\bgh[opsur]_[A-Za-z0-9]{20,}`)},
	{"github_pat_", regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{20,}`)},
	{"PRIVATE KEY", regexp.MustCompile(`(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)`)},
	{"A", regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"hooks.slack.com", regexp.MustCompile(`hooks\.slack\.com/(?:services|workflows|triggers)/[^\s"']+`)},
}

// urlPassword is the password of user:password@ in a URL.
var urlPassword = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)[^/\s@]+@`)

// secretFlag is a command-line flag that carries a secret inline
// (--password=x, -token=x).
var secretFlag = regexp.MustCompile(`(?i)(--?[a-z0-9_.-]*(?:password|passwd|secret|token|api-?key|private-?key)[a-z0-9_.-]*=)([^\s"']+)`)

// filePath is a file in one of the usual directories: the value of
// GOOGLE_APPLICATION_CREDENTIALS or of --token= is where the secret is
// mounted, not the secret. (A random secret does not start with /etc/.)
var filePath = regexp.MustCompile(`^/(?:etc|secrets?|var|home|root|tmp|usr|opt|run|mnt|workspace|creds?|data|config|logs|tools)/[A-Za-z0-9._/-]*$`)

// normalizeKey is a field name in lower case without _ - and ..
func normalizeKey(k string) string {
	b := make([]byte, 0, len(k))
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c == '_' || c == '-' || c == '.':
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// secretKey says whether a field of that name holds a secret value.
func secretKey(k string) bool {
	n := normalizeKey(k)
	if referenceKeys[n] {
		return false
	}
	for _, end := range referenceEnds {
		if strings.HasSuffix(n, end) {
			return false
		}
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// redactString removes the secrets recognizable by their shape from a
// string: known token formats, private keys, URL passwords and secret
// flags.
func redactString(s string) string {
	for _, sv := range secretValues {
		if strings.Contains(s, sv.hint) {
			s = sv.re.ReplaceAllString(s, redacted)
		}
	}
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = urlPassword.ReplaceAllString(s, "${1}"+redacted+"@")
	}
	if !strings.Contains(s, "-") || !strings.Contains(s, "=") {
		return s
	}
	return secretFlag.ReplaceAllStringFunc(s, func(m string) string {
		flag := secretFlag.FindStringSubmatch(m)[1]
		name := normalizeKey(strings.TrimLeft(flag, "-"))
		for _, end := range []string{"path=", "file=", "name=", "dir="} {
			if strings.HasSuffix(name, end) {
				return m
			}
		}
		if filePath.MatchString(m[len(flag):]) {
			return m
		}
		return flag + redacted
	})
}

// redact returns v, a configuration decoded from JSON into maps, slices
// and scalars, with every secret value replaced by REDACTED: the values
// of fields named after a secret (a string or a list of strings), the
// value of an environment variable named after one ({name: X_TOKEN,
// value: ...}), and secrets recognizable by their shape in any string.
// References to secrets (Kubernetes Secret names, secretKeyRef, paths
// of token files) are kept. v is changed in place.
func redact(v any) any {
	switch t := v.(type) {
	case map[string]any:
		envSecret := false
		if name, ok := t["name"].(string); ok {
			_, hasValue := t["value"]
			envSecret = hasValue && secretKey(name)
		}
		for k, val := range t {
			if (secretKey(k) || (envSecret && k == "value")) && redactScalar(val) {
				t[k] = redactAll(val)
				continue
			}
			t[k] = redact(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = redact(t[i])
		}
		return t
	case string:
		return redactString(t)
	}
	return v
}

// redactScalar says whether a secret field's value is one to replace: a
// non-empty string or a list of them (a list of objects is walked
// instead, a number or flag is no secret).
func redactScalar(v any) bool {
	switch t := v.(type) {
	case string:
		return t != "" && t != "true" && t != "false" && !filePath.MatchString(t)
	case []any:
		for _, e := range t {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return len(t) > 0
	}
	return false
}

// redactAll replaces a string or every string of a list.
func redactAll(v any) any {
	if l, ok := v.([]any); ok {
		for i := range l {
			l[i] = redacted
		}
		return l
	}
	return redacted
}
