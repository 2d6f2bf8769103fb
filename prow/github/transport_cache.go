package github

import (
	"bufio"
	"bytes"
	"container/list"
	"io"
	"net/http"
	"net/http/httputil"
	"sync"
)

// cacheTransport revalidates repeated GETs: it remembers each response's
// ETag (or Last-Modified) and body, sends If-None-Match on the next read of
// the same URL, and serves the remembered body when GitHub answers 304. On
// GitHub a 304 does not count against the rate limit.
type cacheTransport struct {
	next     http.RoundTripper
	identity func(*http.Request) string // who is asking: cached data never crosses identities
	maxBytes int64
	metrics  *Metrics

	mu    sync.Mutex
	lru   *list.List               // of *cacheEntry, most recent first
	items map[string]*list.Element // key -> element
	size  int64
}

type cacheEntry struct {
	key          string
	etag         string
	lastModified string
	raw          []byte // the whole response, as httputil.DumpResponse wrote it
}

func newCacheTransport(next http.RoundTripper, identity func(*http.Request) string, maxBytes int64, m *Metrics) *cacheTransport {
	return &cacheTransport{next: next, identity: identity, maxBytes: maxBytes, metrics: m, lru: list.New(), items: map[string]*list.Element{}}
}

func (c *cacheTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Header.Get("Range") != "" {
		return c.next.RoundTrip(req)
	}
	key := c.identity(req) + " " + req.Header.Get("Accept") + " " + req.URL.String()
	entry := c.get(key)
	if entry != nil {
		req = req.Clone(req.Context())
		if entry.etag != "" {
			req.Header.Set("If-None-Match", entry.etag)
		} else {
			req.Header.Set("If-Modified-Since", entry.lastModified)
		}
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotModified && entry != nil {
		cached, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(entry.raw)), req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			// Keep the fresh rate-limit headers of the 304.
			for _, h := range []string{"X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Resource"} {
				if v := resp.Header.Get(h); v != "" {
					cached.Header.Set(h, v)
				}
			}
			c.metrics.cache("revalidated")
			return cached, nil
		}
	}
	if resp.StatusCode != http.StatusOK {
		c.metrics.cache("miss")
		return resp, nil
	}
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" && lastMod == "" {
		c.metrics.cache("uncacheable")
		return resp, nil
	}
	raw, err := httputil.DumpResponse(resp, true)
	if err != nil {
		return nil, err
	}
	c.put(&cacheEntry{key: key, etag: etag, lastModified: lastMod, raw: raw})
	c.metrics.cache("miss")
	return http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), req)
}

func (c *cacheTransport) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cacheEntry)
}

func (c *cacheTransport) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if int64(len(e.raw)) > c.maxBytes/4 {
		return // one huge response must not flush everything else
	}
	if el, ok := c.items[e.key]; ok {
		c.size -= int64(len(el.Value.(*cacheEntry).raw))
		c.lru.Remove(el)
	}
	c.items[e.key] = c.lru.PushFront(e)
	c.size += int64(len(e.raw))
	for c.size > c.maxBytes && c.lru.Len() > 0 {
		last := c.lru.Back()
		old := last.Value.(*cacheEntry)
		c.lru.Remove(last)
		delete(c.items, old.key)
		c.size -= int64(len(old.raw))
	}
}
