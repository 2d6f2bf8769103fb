package s3test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Credentials the server's credentials file holds (gofakes3 does not
// check signatures; the client still signs every request).
const (
	AccessKey = "prow-test-access"
	SecretKey = "prow-test-secret"
	Region    = "us-east-1"
)

// Server is a running S3-compatible server.
type Server struct {
	// URL is the server's address, http://127.0.0.1:<port>.
	URL string
	// CredentialsFile is an S3 credentials file pointing at the server.
	CredentialsFile string

	backend *s3mem.Backend
}

// replacingBackend makes an unconditional PUT replace an object's
// metadata, as S3 and MinIO do: the in-memory backend alone keeps the
// keys the new write does not set.
type replacingBackend struct {
	*s3mem.Backend
	mu sync.Mutex
}

func (b *replacingBackend) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, conditions *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	if conditions == nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, err := b.DeleteObject(bucket, key); err != nil {
			return gofakes3.PutObjectResult{}, err
		}
	}
	return b.Backend.PutObject(bucket, key, meta, input, size, conditions)
}

// Start starts a server, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	backend := s3mem.New()
	faker := gofakes3.New(&replacingBackend{Backend: backend}, gofakes3.WithLogger(gofakes3.DiscardLog()))
	ts := httptest.NewServer(faker.Server())
	t.Cleanup(ts.Close)
	s := &Server{URL: ts.URL, backend: backend}
	s.CredentialsFile = WriteCredentials(t, map[string]any{
		"region": Region, "endpoint": ts.URL, "insecure": true, "s3_force_path_style": true,
		"access_key": AccessKey, "secret_key": SecretKey,
	})
	return s
}

// WriteCredentials writes fields as an S3 credentials file in a
// temporary directory and returns its path.
func WriteCredentials(t testing.TB, fields map[string]any) string {
	t.Helper()
	data, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "service-account.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// CreateBucket makes an empty bucket.
func (s *Server) CreateBucket(t testing.TB, name string) {
	t.Helper()
	if err := s.backend.CreateBucket(name); err != nil {
		t.Fatalf("create S3 bucket %s: %v", name, err)
	}
}

// Object returns the content of an object as the server holds it.
func (s *Server) Object(t testing.TB, bucket, key string) ([]byte, error) {
	t.Helper()
	obj, err := s.backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = obj.Contents.Close() }()
	return io.ReadAll(obj.Contents)
}
