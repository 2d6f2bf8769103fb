package sandbox

// APIRoutePatterns lists "METHOD /pattern" of every REST route, for the
// tests that check each is one of GitHub's.
func APIRoutePatterns() []string { return (&Server{}).apiRoutes().patterns() }
