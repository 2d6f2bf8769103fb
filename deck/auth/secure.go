package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// CookiePolicy decides whether cookies carry the Secure attribute: when
// the request came over TLS, when the external URL people use is https
// (TLS ends before deck), or when a trusted proxy says the client used
// https. X-Forwarded-Proto from any other peer is ignored, since anyone
// can send it.
type CookiePolicy struct {
	// HTTPS is true when the external URL is https.
	HTTPS bool
	// TrustedProxies are the peers whose X-Forwarded-Proto is believed.
	TrustedProxies []netip.Prefix
}

// NewCookiePolicy builds a policy from the external URL and the trusted
// proxies (IP addresses or CIDR prefixes).
func NewCookiePolicy(externalURL string, trustedProxies []string) (CookiePolicy, error) {
	p := CookiePolicy{HTTPS: strings.HasPrefix(strings.ToLower(externalURL), "https://")}
	for _, s := range trustedProxies {
		if pre, err := netip.ParsePrefix(s); err == nil {
			p.TrustedProxies = append(p.TrustedProxies, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return p, fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR prefix", s)
		}
		p.TrustedProxies = append(p.TrustedProxies, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return p, nil
}

// Secure says whether cookies set in answer to r are Secure.
func (p CookiePolicy) Secure(r *http.Request) bool {
	if r.TLS != nil || p.HTTPS {
		return true
	}
	if len(p.TrustedProxies) == 0 || !strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https") {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, pre := range p.TrustedProxies {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}
