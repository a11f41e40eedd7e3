package browsertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// candidateID looks a candidate up by the commissioner's reference, as the
// journeys need ids for their addresses.
func candidateID(t *testing.T, e *Env, ref string) string {
	t.Helper()
	var id string
	if err := e.DB.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = ?`, ref).Scan(&id); err != nil {
		t.Fatalf("candidate %s: %v", ref, err)
	}
	return id
}

// wantStatus fails the test when an answer's status is not want.
func wantStatus(t *testing.T, ctx context.Context, what string, got int64, want int64) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d (at %s)", what, got, want, location(ctx))
	}
}

// wantPath fails the test when the tab is not at path.
func wantPath(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if p := Path(t, ctx); p != path {
		t.Fatalf("at %s, want %s", p, path)
	}
}

// wantText fails the test when the visible text of sel lacks want.
func wantText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	if got := Text(t, ctx, sel); !strings.Contains(got, want) {
		t.Fatalf("%s at %s does not say %q:\n%s", sel, location(ctx), want, got)
	}
}

// Click clicks the element sel without waiting for a page (a checkbox, a
// radio button, a summary).
func Click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	Do(t, ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// download is what the browser got for an address.
type download struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Data   string `json:"data"` // base64
}

// fetchJS fetches an address with the tab's cookies and hands back its
// bytes as base64, in chunks so large files do not overflow the stack.
const fetchJS = `(async () => {
  const r = await fetch(%q, {credentials: 'same-origin'});
  const b = new Uint8Array(await r.arrayBuffer());
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192));
  return {status: r.status, type: r.headers.get('Content-Type') || '', data: btoa(s)};
})()`

// Fetch downloads path as the person signed in in the tab would: the
// request carries the tab's session cookie.
func Fetch(t *testing.T, ctx context.Context, path string) (int, string, []byte) {
	t.Helper()
	d := Run(t, ctx, chromedp.Evaluate[download](fmt.Sprintf(fetchJS, path), chromedp.EvalAwaitPromise))
	b, err := base64.StdEncoding.DecodeString(d.Data)
	if err != nil {
		t.Fatalf("fetch %s: %v", path, err)
	}
	return d.Status, d.Type, b
}

// fetchPDF downloads path in the tab and checks it is a sound PDF.
func fetchPDF(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	status, ctype, b := Fetch(t, ctx, path)
	if status != 200 || ctype != "application/pdf" {
		t.Fatalf("download %s: status %d, type %q", path, status, ctype)
	}
	checkPDF(t, b)
}

// checkPDF checks the bytes start as a PDF and that qpdf finds no fault in
// its structure; without qpdf it only checks the start, except in CI,
// where a missing qpdf fails.
func checkPDF(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: starts with %q", b[:min(len(b), 16)])
	}
	q, err := exec.LookPath("qpdf")
	if err != nil {
		if inCI() {
			t.Fatal("qpdf is missing: install qpdf")
		}
		t.Log("qpdf missing: PDF structure not checked")
		return
	}
	p := filepath.Join(t.TempDir(), "download.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(q, "--check", p).CombinedOutput(); err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
}

// wantFieldError checks the accessible error pattern for an invalid field:
// aria-invalid, aria-describedby naming the error text, and that text in
// the same .field as the input.
func wantFieldError(t *testing.T, ctx context.Context, id, want string) {
	t.Helper()
	if v, _ := Attr(t, ctx, "#"+id, "aria-invalid"); v != "true" {
		t.Fatalf("#%s aria-invalid %q, want true", id, v)
	}
	if v, _ := Attr(t, ctx, "#"+id, "aria-describedby"); v != id+"-error" {
		t.Fatalf("#%s aria-describedby %q, want %s-error", id, v, id)
	}
	if msg := Text(t, ctx, "#"+id+"-error"); !strings.Contains(msg, want) {
		t.Fatalf("#%s error %q does not say %q", id, msg, want)
	}
	beside := Run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('#`+id+`').closest('.field').contains(document.querySelector('#`+id+`-error'))`))
	if !beside {
		t.Fatalf("the error of #%s is not beside the field", id)
	}
}
