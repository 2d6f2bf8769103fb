package plugins

import (
	"context"
	"strings"
)

// TeamLister lists the members of a team.
type TeamLister interface {
	ListTeamMembers(ctx context.Context, org, teamSlug string) ([]string, error)
}

// InTeam says whether user (in any case) is a member of the team slug of
// org.
func InTeam(ctx context.Context, gh TeamLister, org, slug, user string) (bool, error) {
	members, err := gh.ListTeamMembers(ctx, org, slug)
	if err != nil {
		return false, err
	}
	for _, m := range members {
		if strings.EqualFold(m, user) {
			return true, nil
		}
	}
	return false, nil
}
