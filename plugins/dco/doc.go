// Package dco is the dco plugin (Prow's pkg/plugins/dco): every commit of
// a pull request must carry a Developer Certificate of Origin sign-off, a
// "Signed-off-by:" line in its message.
//
// When a pull request is opened, reopened or pushed to, and when anyone
// comments /check-dco on it, the plugin lists its commits and sets:
//
//   - the "dco" commit status on the head: success when every commit is
//     signed off, failure otherwise, linking the contributing guide;
//   - one of the labels "dco-signoff: yes" and "dco-signoff: no";
//   - while commits lack a sign-off, one comment of the bot's naming them
//     and saying how to sign off (edited when the list changes, deleted
//     once every commit is signed off).
//
// The dco section of plugins.yaml ("*", an org or org/repo, the most
// specific wins) can exempt the commits of trusted authors:
// skip_dco_check_for_members (members of trusted_org, which defaults to
// the pull request's org), skip_dco_check_for_collaborators (also the
// repository's collaborators) and trusted_apps (GitHub Apps, named without
// "[bot]"). contributing_repo, contributing_branch and contributing_path
// say where the guide the status and comment link to lives.
//
// Decide and Unsigned are pure; plugin.go reads GitHub around them. Every
// write is safe to repeat: the comment is found again by its hidden
// marker, labels and the status are only written when they differ.
package dco
