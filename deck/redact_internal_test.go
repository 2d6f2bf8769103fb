package deck

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a field named after a token, a password or a secret is redacted",
			`{"token":"t1","github_token":"t2","password":"p","client_secret":"c","cookie-secret":"k","hmac":"h","api_key":"a","privateKey":"pk","slack_webhook_url":"u"}`,
			`{"api_key":"REDACTED","client_secret":"REDACTED","cookie-secret":"REDACTED","github_token":"REDACTED","hmac":"REDACTED","password":"REDACTED","privateKey":"REDACTED","slack_webhook_url":"REDACTED","token":"REDACTED"}`},
		{"a list of secrets is redacted item by item", `{"tokens":["a","b"]}`, `{"tokens":["REDACTED","REDACTED"]}`},
		{"references to Kubernetes Secrets and token files stay",
			`{"gcs_credentials_secret":"gcs","ssh_key_secrets":["ssh"],"cookiefile_secret":"c","oauth_token_secret":{"name":"n","key":"k"},"secretName":"s","token_path":"/etc/t","hmac_secret_file":"/etc/h","token_created_after":"2020-01-01T00:00:00Z"}`,
			`{"cookiefile_secret":"c","gcs_credentials_secret":"gcs","hmac_secret_file":"/etc/h","oauth_token_secret":{"key":"k","name":"n"},"secretName":"s","ssh_key_secrets":["ssh"],"token_created_after":"2020-01-01T00:00:00Z","token_path":"/etc/t"}`},
		{"flags, numbers and empty values named after secrets are no secrets",
			`{"censor_secrets":true,"minimum_secret_length":6,"token":"","secret_enabled":"true"}`,
			`{"censor_secrets":true,"minimum_secret_length":6,"secret_enabled":"true","token":""}`},
		{"an environment variable named after a secret has its value redacted",
			`{"env":[{"name":"GITHUB_TOKEN","value":"v1"},{"name":"AWS_SECRET_ACCESS_KEY","value":"v2"},{"name":"TOKEN_FILE","value":"/etc/t"},{"name":"HOME","value":"/root"},{"name":"X_PASSWORD","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}`,
			`{"env":[{"name":"GITHUB_TOKEN","value":"REDACTED"},{"name":"AWS_SECRET_ACCESS_KEY","value":"REDACTED"},{"name":"TOKEN_FILE","value":"/etc/t"},{"name":"HOME","value":"/root"},{"name":"X_PASSWORD","valueFrom":{"secretKeyRef":{"key":"k","name":"s"}}}]}`},
		{"Slack and GitHub tokens are redacted wherever they are",
			`{"args":["post xoxb-123456-abcdef to slack","ghp_0123456789abcdefghijABCDEFGHIJ","github_pat_11AAAAAAA0123456789_abcdefghijklmnop"]}`,
			`{"args":["post REDACTED to slack","REDACTED","REDACTED"]}`},
		{"a private key block is redacted",
			`{"data":"before\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nafter"}`,
			`{"data":"before\nREDACTED\nafter"}`},
		{"a URL's password and a Slack webhook are redacted, the rest of the URL stays",
			`{"url":"https://bot:pw@git.example/x","hook":"see https://hooks.slack.com/services/T0/B0/XYZ now","plain":"https://git.example/x"}`,
			`{"hook":"see https://REDACTED now","plain":"https://git.example/x","url":"https://bot:REDACTED@git.example/x"}`},
		{"a secret flag's value is redacted, a flag naming a file is not",
			`{"args":["--password=hunter2","-api-key=k1","--github-token-path=/etc/token","--token-file=/t","--verbose=true"]}`,
			`{"args":["--password=REDACTED","-api-key=REDACTED","--github-token-path=/etc/token","--token-file=/t","--verbose=true"]}`},
		{"a value that is where the secret is mounted stays",
			`{"env":[{"name":"GOOGLE_APPLICATION_CREDENTIALS","value":"/etc/service-account/service-account.json"},{"name":"API_TOKEN","value":"/xY9+base64like"}],"args":["--token=/etc/github/token","--token=/AbC9"]}`,
			`{"args":["--token=/etc/github/token","--token=REDACTED"],"env":[{"name":"GOOGLE_APPLICATION_CREDENTIALS","value":"/etc/service-account/service-account.json"},{"name":"API_TOKEN","value":"REDACTED"}]}`},
		{"an AWS access key ID is redacted", `{"note":"id AKIAIOSFODNN7EXAMPLE here"}`, `{"note":"id REDACTED here"}`},
		{"ordinary configuration is untouched", `{"name":"job","labels":{"preset-dind":"true"},"interval":"1h","max_concurrency":3}`,
			`{"interval":"1h","labels":{"preset-dind":"true"},"max_concurrency":3,"name":"job"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(tt.in))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(redact(v))
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("redact(%s)\n got %s\nwant %s", tt.in, out, tt.want)
			}
		})
	}
}

func TestDropHidden(t *testing.T) {
	hidden := func(s string) bool { return s == "secret/vault" || s == "spies" }
	in := `{"rerun":{"secret/vault":{"users":["x"]},"acme/widget":{"users":["y"]}},"queries":[{"repos":["acme/widget","secret/vault"]},{"orgs":["spies"]}],` +
		`"entries":[{"repo":"secret/vault","bucket":"b1"},{"repo":"acme","bucket":"b2"}],"env":[{"name":"REPO","value":"secret/vault"}]}`
	want := `{"entries":[{"bucket":"b2","repo":"acme"}],"env":[{"name":"REPO","value":"secret/vault"}],"queries":[{"repos":["acme/widget"]},{"orgs":[]}],"rerun":{"acme/widget":{"users":["y"]}}}`
	var v any
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(dropHidden(v, hidden))
	if string(out) != want {
		t.Errorf("dropHidden\n got %s\nwant %s", out, want)
	}
}
