package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Retry bounds of S3 requests when S3Options leaves them out: a
// refusing endpoint is tried this often, with exponential backoff and
// jitter capped at defaultS3MaxBackoff, before the request fails.
const (
	defaultS3MaxAttempts = 5
	defaultS3MaxBackoff  = 10 * time.Second
	// defaultS3Region signs requests when neither the credentials file
	// nor the environment names a region (MinIO accepts any).
	defaultS3Region = "us-east-1"
)

// S3Options configures the S3 client.
type S3Options struct {
	// CredentialsFile is a JSON file in the format of Prow's
	// --s3-credentials-file (see S3Credentials). Empty means the AWS
	// default chain: environment, shared config, instance or pod role.
	CredentialsFile string
	// MaxAttempts bounds the tries of one request (0: 5).
	MaxAttempts int
	// MaxBackoff bounds the wait between two tries (0: 10s).
	MaxBackoff time.Duration
}

// S3Credentials is the content of an S3 credentials file, the format
// Prow's s3_credentials_secret holds. Endpoint points at an
// S3-compatible server such as MinIO; an endpoint without a scheme is
// reached over https, or http when Insecure is set.
type S3Credentials struct {
	Region           string `json:"region"`
	Endpoint         string `json:"endpoint"`
	Insecure         bool   `json:"insecure"`
	S3ForcePathStyle bool   `json:"s3_force_path_style"`
	AccessKey        string `json:"access_key"`
	SecretKey        string `json:"secret_key"`
}

// ReadS3Credentials reads and checks an S3 credentials file; every
// error names the file.
func ReadS3Credentials(file string) (S3Credentials, error) {
	var c S3Credentials
	data, err := os.ReadFile(file)
	if err != nil {
		return c, fmt.Errorf("read S3 credentials file %s: %w", file, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("S3 credentials file %s is not valid: %w (want JSON with region, endpoint, insecure, s3_force_path_style, access_key, secret_key)", file, err)
	}
	if (c.AccessKey == "") != (c.SecretKey == "") {
		return c, fmt.Errorf("S3 credentials file %s: access_key and secret_key go together", file)
	}
	if c.Endpoint != "" {
		if _, err := c.endpointURL(); err != nil {
			return c, fmt.Errorf("S3 credentials file %s: %w", file, err)
		}
	}
	return c, nil
}

// endpointURL is the endpoint with its scheme.
func (c S3Credentials) endpointURL() (string, error) {
	e := c.Endpoint
	if !strings.Contains(e, "://") {
		scheme := "https://"
		if c.Insecure {
			scheme = "http://"
		}
		e = scheme + e
	}
	u, err := url.Parse(e)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("endpoint %q is not a host or an http(s) URL", c.Endpoint)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// NewS3Client builds an S3 client from the credentials file of opts, or
// from the AWS default chain when there is none.
func NewS3Client(ctx context.Context, opts S3Options) (*s3.Client, error) {
	var creds S3Credentials
	if opts.CredentialsFile != "" {
		c, err := ReadS3Credentials(opts.CredentialsFile)
		if err != nil {
			return nil, err
		}
		creds = c
	}
	var cfg aws.Config
	if creds.AccessKey != "" {
		cfg = aws.Config{Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(creds.AccessKey, creds.SecretKey, ""))}
	} else {
		c, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("load the default AWS configuration: %w", err)
		}
		cfg = c
	}
	switch {
	case creds.Region != "":
		cfg.Region = creds.Region
	case cfg.Region == "":
		cfg.Region = defaultS3Region
	}
	endpoint := ""
	if creds.Endpoint != "" {
		endpoint, _ = creds.endpointURL() // checked by ReadS3Credentials
	}
	attempts, backoff := opts.MaxAttempts, opts.MaxBackoff
	if attempts <= 0 {
		attempts = defaultS3MaxAttempts
	}
	if backoff <= 0 {
		backoff = defaultS3MaxBackoff
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.UsePathStyle = creds.S3ForcePathStyle
		// S3-compatible servers (MinIO, Ceph, older releases of both)
		// do not all take the checksums the SDK sends by default.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.MaxBackoff = backoff
			// Every request gets its tries, however many failed before.
			so.RateLimiter = ratelimit.None
		})
	}), nil
}
