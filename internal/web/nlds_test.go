package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/nlds"
)

// TestNLDSStylesheetFromThePackages: static/nlds.css is what internal/nlds
// assembles from the NL Design System npm packages that package.json pins,
// never a hand-edited copy. OPSTAP_UPDATE_NLDS=1 rewrites it after an update
// of the packages or of nlds.Components.
func TestNLDSStylesheetFromThePackages(t *testing.T) {
	root := filepath.Join("..", "..", "node_modules", "@utrecht")
	if _, err := os.Stat(root); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node_modules/@utrecht missing (npm ci): %v", err)
		}
		t.Skip("node_modules/@utrecht missing: run npm ci")
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	version := func(pkg string) string {
		var v struct{ Name, Version string }
		if err := json.Unmarshal([]byte(read(pkg+"/package.json")), &v); err != nil {
			t.Fatal(err)
		}
		return v.Name + " " + v.Version
	}
	want, err := nlds.Assemble(version("component-library-css")+", "+version("design-tokens"),
		read("design-tokens/dist/theme.css"), read("component-library-css/dist/html.css"), read("component-library-css/dist/index.css"))
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("OPSTAP_UPDATE_NLDS") == "1" {
		if err := os.WriteFile(filepath.Join("static", "nlds.css"), []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := staticFS.ReadFile("static/nlds.css")
	if err != nil || string(got) != want {
		t.Fatalf("static/nlds.css is not what the packages give (%v): run OPSTAP_UPDATE_NLDS=1 go test -run TestNLDSStylesheet ./internal/web/", err)
	}
}

// TestStylesheetsGzipped: the stylesheets go out compressed to a client that
// takes gzip, whole to one that does not.
func TestStylesheetsGzipped(t *testing.T) {
	h, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := staticFS.ReadFile("static/nlds.css")
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"", false},
		{"identity", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", "/nlds.css?v=1", nil)
		req.URL.Path = "nlds.css"
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		rec := httptest.NewRecorder()
		h.staticHandler().ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		if tt.gzip {
			if rec.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("%q: not gzipped", tt.accept)
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		} else if rec.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%q: encoded %q", tt.accept, rec.Header().Get("Content-Encoding"))
		}
		if !bytes.Equal(body, want) || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
			t.Fatalf("%q: %d bytes of %s", tt.accept, len(body), rec.Header().Get("Content-Type"))
		}
	}
}
