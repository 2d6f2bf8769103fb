package main

import "github.com/prowbot/prow/prow/storage"

// s3CredentialsHelp is the help of --s3-credentials-file.
const s3CredentialsHelp = "S3 credentials file for s3:// buckets, as Prow's: JSON with region, endpoint, insecure, " +
	"s3_force_path_style, access_key, secret_key (the AWS default chain when empty)"

// checkS3Credentials reads the S3 credentials file, when one is given,
// so that a missing or bad one stops the start with an error naming it.
func checkS3Credentials(file string) error {
	if file == "" {
		return nil
	}
	_, err := storage.ReadS3Credentials(file)
	return err
}
