package kubeenv

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// The identity of the admin token: a member of system:masters, which RBAC
// allows everything.
const (
	AdminUser  = "admin"
	AdminGroup = "system:masters"
)

// DefaultContext is the name of the kubeconfig's context unless
// WithContextName says otherwise.
const DefaultContext = "kubeenv"

// credentials are what the apiserver is started with.
type credentials struct {
	token     string // the admin's bearer token
	tokenFile string // --token-auth-file
	saKeyFile string // the service account signing key, PEM, private and public
}

func newCredentials(dir string) (*credentials, error) {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("make admin token: %w", err)
	}
	c := &credentials{
		token:     hex.EncodeToString(secret),
		tokenFile: filepath.Join(dir, "tokens.csv"),
		saKeyFile: filepath.Join(dir, "service-account.key"),
	}
	line := fmt.Sprintf("%s,%s,%s-uid,%q\n", c.token, AdminUser, AdminUser, AdminGroup)
	if err := os.WriteFile(c.tokenFile, []byte(line), 0o600); err != nil {
		return nil, fmt.Errorf("write token file: %w", err)
	}
	// 2048 bits: what the apiserver accepts, made in a few milliseconds.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("make service account key: %w", err)
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	if err := os.WriteFile(c.saKeyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, fmt.Errorf("write service account key: %w", err)
	}
	return c, nil
}

// writeKubeconfig writes a kubeconfig with the admin token and one context
// per name, all for the same server; the first is the current context.
func writeKubeconfig(path, server string, caData []byte, token string, contexts []string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kubeenv"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caData}
	cfg.AuthInfos[AdminUser] = &clientcmdapi.AuthInfo{Token: token}
	for _, name := range contexts {
		cfg.Contexts[name] = &clientcmdapi.Context{Cluster: "kubeenv", AuthInfo: AdminUser, Namespace: "default"}
	}
	cfg.CurrentContext = contexts[0]
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return fmt.Errorf("write kubeconfig %s: %w", path, err)
	}
	return nil
}
