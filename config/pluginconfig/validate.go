package pluginconfig

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/prowbot/prow/prow/yamlconf"
)

// Load reads plugins.yaml, returning its unknown fields as problems and
// applying defaults. Call Validate for the rest.
func Load(path string) (*Configuration, []yamlconf.Problem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read plugin config: %w", err)
	}
	c := &Configuration{}
	unknown, err := yamlconf.Unmarshal(path, data, c)
	if err != nil {
		return nil, unknown, err
	}
	c.ApplyDefaults()
	return c, unknown, nil
}

// ApplyDefaults fills the settings a file leaves out.
func (c *Configuration) ApplyDefaults() {
	if c.Size == (Size{}) {
		c.Size = Size{S: 10, M: 30, L: 100, Xl: 500, Xxl: 1000}
	}
	for key := range c.ExternalPlugins {
		for i := range c.ExternalPlugins[key] {
			if c.ExternalPlugins[key][i].Endpoint == "" {
				c.ExternalPlugins[key][i].Endpoint = "http://" + c.ExternalPlugins[key][i].Name
			}
		}
	}
	if c.CherryPickUnapproved.BranchRegexp == "" {
		c.CherryPickUnapproved.BranchRegexp = `^release-.*$`
	}
	if c.SigMention.Regexp == "" {
		c.SigMention.Regexp = `(?m)@kubernetes/sig-([\w-]*)-(misc|test-failures|bugs|feature-requests|proposals|pr-reviews|api-reviews)`
	}
}

// Validate checks the configuration against the plugin names the binary
// knows, returning one error per problem.
func (c *Configuration) Validate(known []string) []error {
	errs := c.validatePlugins(known)
	s := c.Size
	if s.S <= 0 || s.S >= s.M || s.M >= s.L || s.L >= s.Xl || s.Xl >= s.Xxl {
		errs = append(errs, fmt.Errorf("size: thresholds must grow: s=%d m=%d l=%d xl=%d xxl=%d", s.S, s.M, s.L, s.Xl, s.Xxl))
	}
	errs = append(errs, c.validateRegexps()...)
	errs = append(errs, c.validateRepoPlugins()...)
	for i, w := range c.Welcome {
		if _, err := template.New("welcome").Parse(w.MessageTemplate); err != nil {
			errs = append(errs, fmt.Errorf("welcome[%d].message_template: %w", i, err))
		}
	}
	for i, r := range c.RequireMatchingLabel {
		if r.GracePeriod != "" {
			if _, err := time.ParseDuration(r.GracePeriod); err != nil {
				errs = append(errs, fmt.Errorf("require_matching_label[%d].grace_period: %w", i, err))
			}
		}
		if r.MissingLabel == "" || (!r.PRs && !r.Issues) || r.Org == "" {
			errs = append(errs, fmt.Errorf("require_matching_label[%d]: needs org, missing_label and prs or issues", i))
		}
	}
	return errs
}

// validatePlugins checks the plugins and external_plugins sections.
func (c *Configuration) validatePlugins(known []string) []error {
	var errs []error
	knownSet := map[string]bool{}
	for _, k := range known {
		knownSet[k] = true
	}
	for _, key := range c.Repos() {
		entry := c.Plugins[key]
		if err := checkRepoKey(key); err != nil {
			errs = append(errs, fmt.Errorf("plugins: %w", err))
		}
		if strings.Contains(key, "/") && len(entry.ExcludedRepos) > 0 {
			errs = append(errs, fmt.Errorf("plugins.%s: excluded_repos only applies to an org entry", key))
		}
		seen := map[string]bool{}
		for _, name := range entry.Plugins {
			if !knownSet[name] {
				errs = append(errs, fmt.Errorf("plugins.%s: unknown plugin %q", key, name))
			}
			if seen[name] {
				errs = append(errs, fmt.Errorf("plugins.%s: plugin %q is enabled twice", key, name))
			}
			seen[name] = true
		}
	}
	for key, exts := range c.ExternalPlugins {
		for i, ext := range exts {
			if ext.Name == "" {
				errs = append(errs, fmt.Errorf("external_plugins.%s[%d]: name is required", key, i))
			}
		}
	}
	return errs
}

// validateRegexps compiles every regex the plugins will use.
func (c *Configuration) validateRegexps() []error {
	var errs []error
	check := func(where, expr string) {
		if _, err := regexp.Compile(expr); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	for i, b := range c.Blockades {
		for j, re := range b.BlockRegexps {
			check(fmt.Sprintf("blockades[%d].blockregexps[%d]", i, j), re)
		}
		for j, re := range b.ExceptionRegexps {
			check(fmt.Sprintf("blockades[%d].exceptionregexps[%d]", i, j), re)
		}
		if b.BranchRegexp != nil {
			check(fmt.Sprintf("blockades[%d].branchregexp", i), *b.BranchRegexp)
		}
	}
	for i, r := range c.RequireMatchingLabel {
		check(fmt.Sprintf("require_matching_label[%d].regexp", i), r.Regexp)
		if r.Branch != "" {
			check(fmt.Sprintf("require_matching_label[%d].branch", i), r.Branch)
		}
	}
	for i, cp := range c.CherryPickApproved {
		check(fmt.Sprintf("cherry_pick_approved[%d].branchregexp", i), cp.BranchRegexp)
	}
	check("cherry_pick_unapproved.branchregexp", c.CherryPickUnapproved.BranchRegexp)
	check("sigmention.regexp", c.SigMention.Regexp)
	check("heart.commentregexp", c.Heart.CommentRegexp)
	return errs
}

// checkRepoKey checks a key is "org" or "org/repo".
func checkRepoKey(key string) error {
	parts := strings.Split(key, "/")
	if len(parts) > 2 || parts[0] == "" || (len(parts) == 2 && parts[1] == "") {
		return fmt.Errorf("%q is neither an org nor org/repo", key)
	}
	return nil
}
