package httpx

import (
	"net/url"
	"strings"
	"testing"
)

func TestLocalPath(t *testing.T) {
	ok := []string{
		"/",
		"/candidates",
		"/candidates/8d3f?tab=dossier",
		"/complaints#new",
		"/search?q=de%20Vries",
		"/a/b/../c",
	}
	for _, s := range ok {
		if got := LocalPath(s); got != s {
			t.Errorf("LocalPath(%q) = %q, want it kept", s, got)
		}
	}
	hostile := []string{
		"",
		"//evil.example",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\t/evil.example", // /%09/evil.example after query decoding
		"/\n/evil.example", // newline
		"/\r/evil.example", // carriage return
		"\t//evil.example", // leading tab
		" //evil.example",  // leading space
		"/ /evil.example",  // space
		"/x\\..\\\\evil.example",
		"/%2F/evil.example",   // encoded slash
		"/%2f%2fevil.example", // encoded slashes, lower case
		"/%5C/evil.example",   // encoded backslash
		"https://evil.example",
		"http:/evil.example",
		"javascript:alert(1)",
		"JAVASCRIPT:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		"evil.example",
		"./evil",
		"../evil",
		"?next=//evil",
		"/\x00/evil.example",
		"/\x7f/evil.example",
		"/\u3000/evil.example", // ideographic space
		"/／evil.example",       // full-width solidus
		"/\u2028/evil.example",
	}
	for _, s := range hostile {
		if got := LocalPath(s); got != "/" {
			t.Errorf("LocalPath(%q) = %q, want /", s, got)
		}
	}
}

// FuzzLocalPath: whatever comes back is "/" or a same-origin absolute path
// that resolves against any base to that base's host.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "/\t/x", "/%2f/x", "https://x", "/a?b#c"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://opstap.example/candidates/1")
	f.Fuzz(func(t *testing.T, s string) {
		got := LocalPath(s)
		if got != "/" && got != s {
			t.Fatalf("LocalPath(%q) = %q: neither kept nor /", s, got)
		}
		if strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\t\r\n ") {
			t.Fatalf("LocalPath(%q) = %q", s, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("LocalPath(%q) = %q does not parse: %v", s, got, err)
		}
		if r := base.ResolveReference(u); r.Host != base.Host || r.Scheme != base.Scheme {
			t.Fatalf("LocalPath(%q) = %q resolves to %s", s, got, r)
		}
	})
}
