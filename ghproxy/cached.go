package ghproxy

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httputil"
	"strings"
)

// fetched is one upstream answer to a cacheable GET, shared by the
// requests coalesced on it.
type fetched struct {
	raw  []byte // the response, as httputil.DumpResponse writes it
	mode string
}

// serveCached answers a GET from the cache, revalidated with GitHub, one
// upstream request for all identical requests in flight.
func (p *Proxy) serveCached(w http.ResponseWriter, r *http.Request, rt route) {
	key := hashKey(rt.token, r.Header.Get("Accept"), r.Header.Get("Accept-Encoding"), rt.target.String())
	led := false
	p.waiting.Add(1)
	v, err, _ := p.group.Do(key, func() (any, error) {
		led = true
		// The answer is shared: a leader that goes away must not cut
		// it short for the others (the client's timeout still bounds it).
		return p.fetch(r.WithContext(context.WithoutCancel(r.Context())), rt, key)
	})
	p.waiting.Add(-1)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	f := v.(*fetched)
	mode := f.mode
	if !led {
		mode = modeCoalesced
	}
	p.metrics.responses.WithLabelValues(mode).Inc()
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(f.raw)), r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && notModified(r, resp.Header) {
		h := resp.Header.Clone()
		for _, k := range []string{"Content-Length", "Content-Encoding", "Content-Type"} {
			h.Del(k)
		}
		p.writeHeader(w, r, rt, h, http.StatusNotModified)
		return
	}
	p.writeHeader(w, r, rt, resp.Header, resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// fetch revalidates the cached answer of key with GitHub (or fetches it)
// and keeps what GitHub sends that can be revalidated later.
func (p *Proxy) fetch(r *http.Request, rt route, key string) (*fetched, error) {
	old, oldBody := p.cached(r, key)
	resp, err := p.upstream(r, rt, nil, func(h http.Header) { revalidate(h, old) })
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotModified && old != nil {
		// Keep the fresh budget headers of the 304.
		for k, vs := range resp.Header {
			if strings.HasPrefix(k, "X-Ratelimit-") || k == "Date" {
				old.Header[k] = vs
			}
		}
		raw, err := dump(old, oldBody)
		return &fetched{raw: raw, mode: modeRevalidated}, err
	}
	raw, err := dump(resp, body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || (resp.Header.Get("ETag") == "" && resp.Header.Get("Last-Modified") == "") {
		return &fetched{raw: raw, mode: modeNoStore}, nil
	}
	if err := p.cache.put(key, raw); err != nil {
		p.log.WithError(err).Warn("Cannot write to the cache")
	}
	mode := modeMiss
	if old != nil {
		mode = modeChanged
	}
	return &fetched{raw: raw, mode: mode}, nil
}

// revalidate sets the validators of the cached answer old (if any) on h,
// the headers of a request to GitHub. The client's own validators are
// dropped: the proxy answers them from what GitHub says to its own.
func revalidate(h http.Header, old *http.Response) {
	h.Del("If-None-Match")
	h.Del("If-Modified-Since")
	if old == nil {
		return
	}
	if etag := old.Header.Get("ETag"); etag != "" {
		h.Set("If-None-Match", etag)
	} else if lm := old.Header.Get("Last-Modified"); lm != "" {
		h.Set("If-Modified-Since", lm)
	}
}

// cached is the cached answer of key with its body, or nil.
func (p *Proxy) cached(r *http.Request, key string) (*http.Response, []byte) {
	raw := p.cache.get(key)
	if raw == nil {
		return nil, nil
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), r)
	if err != nil {
		return nil, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil
	}
	return resp, body
}

// dump writes a response with its whole body, as a plain (not chunked)
// message.
func dump(resp *http.Response, body []byte) ([]byte, error) {
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.TransferEncoding = nil
	resp.Header.Del("Transfer-Encoding")
	return httputil.DumpResponse(resp, true)
}

// notModified says whether the client's validators match h, the current
// version: If-None-Match first, else If-Modified-Since.
func notModified(r *http.Request, h http.Header) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		etag := h.Get("ETag")
		if etag == "" {
			return false
		}
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	if err != nil {
		return false
	}
	lm, err := http.ParseTime(h.Get("Last-Modified"))
	return err == nil && !lm.After(ims)
}
