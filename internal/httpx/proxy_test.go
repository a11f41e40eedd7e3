package httpx

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestParseProxies(t *testing.T) {
	ps, err := ParseProxies(" 10.0.0.5, 192.168.1.0/24,::1 ,")
	if err != nil || len(ps) != 3 {
		t.Fatalf("%v %v", ps, err)
	}
	for _, bad := range []string{"10.0.0", "proxy.example", "10.0.0.0/33"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestResolve(t *testing.T) {
	ps, _ := ParseProxies("10.0.0.5,10.1.0.0/16")
	tests := []struct {
		name, remote, xff, proto string
		tls                      bool
		addr                     string
		https                    bool
	}{
		{"no proxy, no headers", "203.0.113.9:5000", "", "", false, "203.0.113.9", false},
		{"untrusted peer forges XFF", "203.0.113.9:5000", "198.51.100.1", "https", false, "203.0.113.9", false},
		{"loopback is not trusted by default", "127.0.0.1:5000", "198.51.100.1", "https", false, "127.0.0.1", false},
		{"trusted proxy", "10.0.0.5:443", "198.51.100.1", "https", false, "198.51.100.1", true},
		{"client prepends a fake hop", "10.0.0.5:443", "1.2.3.4, 198.51.100.1", "https", false, "198.51.100.1", true},
		{"two trusted proxies", "10.0.0.5:443", "198.51.100.1, 10.1.2.3", "http, https", false, "198.51.100.1", true},
		{"garbage hop stops the walk", "10.0.0.5:443", "198.51.100.1, nonsense", "", false, "10.0.0.5", false},
		{"proxy says http", "10.0.0.5:443", "198.51.100.1", "http", false, "198.51.100.1", false},
		{"TLS here", "203.0.113.9:5000", "", "", true, "203.0.113.9", true},
		{"IPv4-mapped peer", "[::ffff:10.0.0.5]:443", "198.51.100.1", "https", false, "198.51.100.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if !tt.tls {
				r.TLS = nil
			} else {
				r.TLS = &tls.ConnectionState{}
			}
			r = ps.Resolve(r)
			if got := ClientAddress(r); got != tt.addr {
				t.Errorf("address %s, want %s", got, tt.addr)
			}
			if got := HTTPS(r); got != tt.https {
				t.Errorf("https %v, want %v", got, tt.https)
			}
		})
	}
}

// FuzzParseProxies: the parser never panics and what it accepts holds.
func FuzzParseProxies(f *testing.F) {
	for _, s := range []string{"10.0.0.1", "10.0.0.0/8,::1", "", ",", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParseProxies(s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if !p.IsValid() {
				t.Fatalf("%q gave invalid prefix %v", s, p)
			}
		}
	})
}
