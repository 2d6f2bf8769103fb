package trigger

import (
	"context"
	"slices"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
)

// TrustClient answers the membership questions trust needs.
type TrustClient interface {
	IsMember(ctx context.Context, org, login string) (bool, error)
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
}

// TrustedUser says whether login may start jobs in org/repo: the bot
// itself, a GitHub App listed in trusted_apps, a member of org, a
// collaborator of the repo (unless only_org_members), or a member of
// trusted_org.
func TrustedUser(ctx context.Context, gh TrustClient, cfg pluginconfig.Trigger, bot, login, org, repo string) (bool, error) {
	if login == "" {
		return false, nil
	}
	if bot != "" && strings.EqualFold(login, bot) {
		return true, nil
	}
	if app, ok := strings.CutSuffix(login, "[bot]"); ok {
		return slices.ContainsFunc(cfg.TrustedApps, func(a string) bool { return strings.EqualFold(a, app) }), nil
	}
	member, err := gh.IsMember(ctx, org, login)
	if err != nil || member {
		return member, err
	}
	if !cfg.OnlyOrgMembers {
		collab, err := gh.IsCollaborator(ctx, org, repo, login)
		if err != nil || collab {
			return collab, err
		}
	}
	if cfg.TrustedOrg != "" && !strings.EqualFold(cfg.TrustedOrg, org) {
		return gh.IsMember(ctx, cfg.TrustedOrg, login)
	}
	return false, nil
}
