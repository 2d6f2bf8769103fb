package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// DeleteRef deletes a ref ("heads/feature"). A ref that is already gone
// (GitHub answers 422 "Reference does not exist", or 404) is no error,
// so a repeated deletion succeeds.
func (c *Client) DeleteRef(ctx context.Context, org, repo, ref string) error {
	_, err := c.gh.Git.DeleteRef(ctx, org, repo, ref)
	if err == nil || notFound(err) || refMissing(err) {
		return nil
	}
	return fmt.Errorf("delete ref %s of %s/%s: %w", ref, org, repo, err)
}

func refMissing(err error) bool {
	var e *gh.ErrorResponse
	return errors.As(err, &e) && e.Response != nil && e.Response.StatusCode == http.StatusUnprocessableEntity &&
		strings.Contains(strings.ToLower(e.Message), "reference does not exist")
}
