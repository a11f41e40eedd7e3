package httpx

import (
	"net/url"
	"strings"
)

// LocalPath returns s when it is a path on this site, and "/" otherwise,
// so that a redirect to a user-supplied target (the login's next, a
// notification link) cannot send the browser to another origin.
//
// Browsers remove tabs and newlines from a URL and read a backslash as a
// slash, so "/\t/evil.example" and "/\evil.example" both mean
// "//evil.example": the only accepted form is one slash followed by
// anything but a slash or backslash, in printable ASCII (the site's own
// URLs are all ASCII; RequestURI is escaped).
func LocalPath(s string) string {
	if len(s) == 0 || s[0] != '/' || (len(s) > 1 && (s[1] == '/' || s[1] == '\\')) {
		return "/"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	// An escaped slash or backslash at the start survives as text but some
	// proxies and frameworks decode it; refuse rather than guess.
	if p := strings.ToLower(s); strings.HasPrefix(p, "/%2f") || strings.HasPrefix(p, "/%5c") {
		return "/"
	}
	return s
}
