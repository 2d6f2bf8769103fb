package tide

import "sync"

// changeCache keeps the files each open pull request changes at its head,
// so that a busy repository's run_if_changed presubmits cost one read per
// head. Entries not used during a sync are dropped at its end.
type changeCache struct {
	mu   sync.Mutex
	m    map[string][]string
	used map[string]bool
}

func (c *changeCache) get(key string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	files, ok := c.m[key]
	if ok {
		c.mark(key)
	}
	return files, ok
}

func (c *changeCache) put(key string, files []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]string{}
	}
	c.m[key] = files
	c.mark(key)
}

func (c *changeCache) mark(key string) {
	if c.used == nil {
		c.used = map[string]bool{}
	}
	c.used[key] = true
}

// sweep drops the entries no sync used since the last sweep.
func (c *changeCache) sweep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.m {
		if !c.used[k] {
			delete(c.m, k)
		}
	}
	c.used = nil
}
