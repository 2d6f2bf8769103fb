package s3test

import (
	"net"
	"sync/atomic"
	"testing"
)

// Refusing is an S3 endpoint that is there and refuses to serve: it
// accepts each connection and closes it at once, counting them.
type Refusing struct {
	// URL is the endpoint, http://127.0.0.1:<port>.
	URL string
	// CredentialsFile is an S3 credentials file pointing at it.
	CredentialsFile string

	conns atomic.Int64
}

// Refuse starts a refusing endpoint, stopped when the test ends.
func Refuse(t testing.TB) *Refusing {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	r := &Refusing{URL: "http://" + ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.conns.Add(1)
			_ = c.Close()
		}
	}()
	r.CredentialsFile = WriteCredentials(t, map[string]any{
		"region": Region, "endpoint": r.URL, "s3_force_path_style": true, "access_key": AccessKey, "secret_key": SecretKey,
	})
	return r
}

// Tries is how many connections the endpoint refused: one per try of a
// request.
func (r *Refusing) Tries() int64 { return r.conns.Load() }
