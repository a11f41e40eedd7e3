package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// upload posts a file as a browser does, as multipart/form-data.
func (b *browser) upload(path, kind, name string, content []byte) (*http.Response, string) {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return b.doBody("POST", path, buf.String(), map[string]string{"Content-Type": mw.FormDataContentType(), "Origin": b.e.srv.URL})
}

// TestDossierJourney: the coach reads and extends the dossier and its
// documents; the medical segment stays with the medical expert
// [002 art 4.3, 5.1]; the employer sees nothing of the dossier.
func TestDossierJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var id string
		if err := db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		base := "/candidates/" + id
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		resp, body := coach.do("GET", base+"/dossier", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Dossier van Lisa Hendriks") || !strings.Contains(body, "Intakegesprek") || !strings.Contains(body, `type="file"`) {
			t.Fatalf("dossier page: %d", resp.StatusCode)
		}
		// Adding a note redirects back to the dossier.
		resp, _ = coach.do("POST", base+"/dossier/entries", url.Values{"kind": {"correspondence"}, "title": {"Brief UWV"}, "body": {"Verstuurd"}, "occurred_on": {"2025-01-10"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add entry: %d", resp.StatusCode)
		}
		// Editing keeps the earlier version in the history.
		_, body = coach.do("GET", "/api/v1/candidates/"+id+"/dossier/entries?kind=correspondence", nil, nil)
		var l store.EntryList
		decode(t, body, &l)
		if len(l.Entries) != 1 {
			t.Fatalf("entries: %s", body)
		}
		entry := base + "/dossier/entries/" + l.Entries[0].ID
		if resp, body := coach.do("GET", entry, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Brief UWV") {
			t.Fatalf("edit form: %d", resp.StatusCode)
		}
		resp, _ = coach.do("POST", entry, url.Values{"kind": {"correspondence"}, "title": {"Brief aan UWV"}, "body": {"Verstuurd op 10 januari"}, "occurred_on": {"10-01-2025"}, "version": {"1"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		if resp, body := coach.do("GET", entry+"/history", nil, nil); resp.StatusCode != 200 || !strings.Contains(body, "Brief UWV") || !strings.Contains(body, "Brief aan UWV") {
			t.Fatalf("history: %d", resp.StatusCode)
		}
		// A document refused by its content names the field, in Dutch.
		resp, body = coach.upload(base+"/dossier/documents", "cv", "cv.pdf", []byte("<html><script>alert(1)</script></html>"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "alleen PDF-, PNG-") || !strings.Contains(body, `aria-describedby="doc-file-error"`) {
			t.Fatalf("html upload: %d", resp.StatusCode)
		}
		pdf := storetest.PDF("cv")
		if resp, _ = coach.upload(base+"/dossier/documents", "cv", "cv Lisa.pdf", pdf); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("pdf upload: %d", resp.StatusCode)
		}
		resp, body = coach.do("GET", "/api/v1/candidates/"+id+"/documents", nil, nil)
		var docs struct{ Documents []store.Document }
		decode(t, body, &docs)
		if resp.StatusCode != 200 || len(docs.Documents) != 1 {
			t.Fatalf("documents: %d %s", resp.StatusCode, body)
		}
		resp, body = coach.do("GET", base+"/dossier/documents/"+docs.Documents[0].ID, nil, nil)
		if resp.StatusCode != 200 || body != string(pdf) || resp.Header.Get("Content-Type") != dossier.TypePDF || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
		}
		// The medical segment: the medical expert only.
		tests := []struct {
			name, email, path string
			status            int
		}{
			{"medical expert opens the medical segment", "arts@demo.opstap.nl", base + "/medical", 200},
			{"coach may not", "coach@demo.opstap.nl", base + "/medical", 403},
			{"case manager may not read medical entries", "klantmanager@demo.opstap.nl", "/api/v1/candidates/" + id + "/medical/entries", 403},
			{"employer may not open the dossier", "werkgever@demo.opstap.nl", base + "/dossier", 403},
			{"employer may not read medical entries", "werkgever@demo.opstap.nl", "/api/v1/candidates/" + id + "/medical/entries", 403},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := e.browser()
				b.login(tt.email)
				if resp, _ := b.do("GET", tt.path, nil, nil); resp.StatusCode != tt.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
				}
			})
		}
	})
}
