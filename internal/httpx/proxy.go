package httpx

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/opstap/opstap"
)

// Proxies are the reverse proxies (addresses or networks) whose
// X-Forwarded-For and X-Forwarded-Proto headers are believed. Anyone can
// send those headers; believed from anyone else, they would let a client
// pick the address its sign-in throttle counts against, or claim HTTPS.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of IP addresses and CIDR
// networks ("10.0.0.5, 192.168.1.0/24, ::1").
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, opstap.Errorf(opstap.EBADREQUEST, "invalid trusted proxy %q", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (ps Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientKey struct{}

type client struct {
	addr  string
	https bool
}

// Resolve works out once per request who the client is and whether it
// reached the service over HTTPS, believing the forwarding headers only
// from a trusted proxy. X-Forwarded-For is read from the right: each
// trusted proxy appends the address it received the request from, so the
// first address from the right that is not a trusted proxy is the client;
// whatever the client wrote further left is ignored.
func (ps Proxies) Resolve(r *http.Request) *http.Request {
	c := client{addr: peer(r), https: r.TLS != nil}
	if a, err := netip.ParseAddr(c.addr); err == nil && ps.trusts(a) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			c.addr = h.Unmap().String()
			if !ps.trusts(h) {
				break
			}
		}
		if v := r.Header.Values("X-Forwarded-Proto"); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			c.https = strings.EqualFold(strings.TrimSpace(last), "https")
		}
	}
	return r.WithContext(context.WithValue(r.Context(), clientKey{}, c))
}

// peer is the address of the immediate peer.
func peer(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().String()
	}
	return host
}

// ClientAddress returns the caller's IP address as Resolve found it, or
// the immediate peer's when the request did not pass Resolve.
func ClientAddress(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.addr
	}
	return peer(r)
}

// HTTPS reports whether the client reached the service over HTTPS: TLS
// here, or at a trusted proxy that said so.
func HTTPS(r *http.Request) bool {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.https
	}
	return r.TLS != nil
}
