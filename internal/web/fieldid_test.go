package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestErrorsLinkToTheirField (issue 12 item 5): every form control that
// shows a field's error has its id recorded with FieldID, so that the error
// summary at the top links to it. Controls repeated per record (one form
// per trajectory, say) have ids built from the record and are left out:
// an error there belongs to the one form posted.
func TestErrorsLinkToTheirField(t *testing.T) {
	control := regexp.MustCompile(`<(?:select|textarea|input)\b[^>]*>`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, _ := templateFS.ReadFile(n)
		for _, c := range control.FindAllString(string(b), -1) {
			id := regexp.MustCompile(`\bid="([^"]*)"`).FindStringSubmatch(c)
			if !strings.Contains(c, "FieldError") || strings.Contains(c, "FieldID") || id == nil || strings.Contains(id[1], "{{") {
				continue
			}
			t.Errorf("%s: %s… shows a field's error but does not record its id with FieldID", n, c[:min(len(c), 70)])
		}
	}
}
