package ghproxy

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// cache keeps whole responses (as httputil.DumpResponse writes them) by
// key, the least recently used dropped first once the total passes max.
// With a directory it keeps them on disk (and finds them again after a
// restart); without, in memory.
type cache struct {
	dir string
	max int64

	mu    sync.Mutex
	lru   *list.List               // of *cacheItem, most recent first
	items map[string]*list.Element // key -> element
	size  int64
	mem   map[string][]byte // when dir is ""
}

type cacheItem struct {
	key  string
	size int64
}

// newCache opens the cache; with a directory, what an earlier run left
// there is indexed, oldest use first.
func newCache(dir string, max int64) (*cache, error) {
	c := &cache{dir: dir, max: max, lru: list.New(), items: map[string]*list.Element{}}
	if dir == "" {
		c.mem = map[string][]byte{}
		return c, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cache directory: %w", err)
	}
	type found struct {
		key  string
		size int64
		used time.Time
	}
	var all []found
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if filepath.Ext(p) == ".tmp" {
			return os.Remove(p) // a write cut short by a crash
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		all = append(all, found{key: d.Name(), size: info.Size(), used: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read cache directory %s: %w", dir, err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].used.Before(all[j].used) })
	for _, f := range all {
		c.items[f.key] = c.lru.PushFront(&cacheItem{key: f.key, size: f.size})
		c.size += f.size
	}
	c.evict()
	return c, nil
}

// hashKey turns what identifies a response into a file-safe key.
func hashKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *cache) path(key string) string { return filepath.Join(c.dir, key[:2], key) }

// get returns the stored response of key, or nil.
func (c *cache) get(key string) []byte {
	c.mu.Lock()
	el, ok := c.items[key]
	if ok {
		c.lru.MoveToFront(el)
	}
	if c.mem != nil {
		defer c.mu.Unlock()
		return c.mem[key]
	}
	c.mu.Unlock()
	if !ok {
		return nil
	}
	p := c.path(key)
	data, err := os.ReadFile(p)
	if err != nil {
		c.drop(key)
		return nil
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now) // the order of use survives a restart
	return data
}

// put stores data as key's response.
func (c *cache) put(key string, data []byte) error {
	size := int64(len(data))
	if size > c.max {
		return nil // larger than the whole cache: not kept
	}
	if c.mem == nil {
		p := c.path(key)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return err
		}
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			return errors.Join(err, os.Remove(tmp))
		}
		if err := os.Rename(tmp, p); err != nil {
			return err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.size -= el.Value.(*cacheItem).size
		c.lru.Remove(el)
	}
	c.items[key] = c.lru.PushFront(&cacheItem{key: key, size: size})
	c.size += size
	if c.mem != nil {
		c.mem[key] = data
	}
	c.evict()
	return nil
}

// evict drops the least recently used responses until the cache fits; the
// lock is held.
func (c *cache) evict() {
	for c.size > c.max {
		el := c.lru.Back()
		if el == nil {
			return
		}
		it := el.Value.(*cacheItem)
		c.lru.Remove(el)
		delete(c.items, it.key)
		c.size -= it.size
		if c.mem != nil {
			delete(c.mem, it.key)
		} else {
			_ = os.Remove(c.path(it.key))
		}
	}
}

// drop forgets key (its file went missing).
func (c *cache) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.size -= el.Value.(*cacheItem).size
		c.lru.Remove(el)
		delete(c.items, key)
	}
}

// stats are the cache's size in bytes and entries.
func (c *cache) stats() (int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, len(c.items)
}
