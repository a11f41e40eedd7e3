package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestTemplatesFitTheCSP: the Content-Security-Policy allows styles and
// scripts only from our own files, so templates carry no inline style
// attributes, <style> or <script> blocks, or inline event handlers.
func TestTemplatesFitTheCSP(t *testing.T) {
	inline := regexp.MustCompile(`(?i)\sstyle=|<style|<script|\son[a-z]+=`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, err := templateFS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if loc := inline.FindIndex(b); loc != nil {
			t.Errorf("%s: inline style or script at byte %d: %q", n, loc[0], b[loc[0]:min(len(b), loc[0]+40)])
		}
	}
}
