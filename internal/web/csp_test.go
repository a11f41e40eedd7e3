package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestTemplatesFitTheCSP: the Content-Security-Policy allows styles and
// scripts only from our own files, so templates carry no inline style
// attributes, <style> or <script> blocks, or inline event handlers; a
// script is an empty element loading one of our static files.
func TestTemplatesFitTheCSP(t *testing.T) {
	inline := regexp.MustCompile(`(?i)\sstyle=|<style|<script(?:\s+src="/static/[a-z]+\.js\?v=\{\{\.StaticSum\}\}"\s+defer></script>)?|\son[a-z]+=`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, err := templateFS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range inline.FindAllIndex(b, -1) {
			if m := string(b[loc[0]:loc[1]]); len(m) > len("<script") && m[:7] == "<script" {
				continue // an empty script element loading a static file
			}
			t.Errorf("%s: inline style or script at byte %d: %q", n, loc[0], b[loc[0]:min(len(b), loc[0]+40)])
		}
	}
}
