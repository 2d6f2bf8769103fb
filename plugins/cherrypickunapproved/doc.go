// Package cherrypickunapproved is the cherry-pick-unapproved plugin
// (Prow's pkg/plugins/cherrypickunapproved). A pull request against a
// release branch (one matching cherry_pick_unapproved.branchregexp in
// plugins.yaml, ^release-.*$ by default) is a cherry-pick that someone
// must approve: until it carries the cherry-pick-approved label it gets
// the do-not-merge/cherry-pick-not-approved label and one comment, the
// configured cherry_pick_unapproved.comment. Once cherry-pick-approved is
// added the blocking label comes off.
//
// It looks when a pull request is opened or reopened, when its base
// branch changes, and when a label is added or removed. Decide is pure;
// the handler around it writes the comment before the label, so a
// replayed delivery finds the comment and adds only the label.
package cherrypickunapproved
