package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestBodyLimits: a body above its limit answers 413 naming the limit, on
// the API and in the web UI alike, and a body in another media type than
// the operation takes answers 415; nothing is stored (issue 11 point 1, 2).
func TestBodyLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var id string
		if err := db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		km := e.browser()
		km.login("klantmanager@demo.opstap.nl")
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		csvHeader := "external_ref;first_name;last_name;birth_date\n"
		bigCSV := csvHeader + strings.Repeat("X-1;Anna;Jansen;01-01-1990\n", candidate.MaxCSVFile/27+1)
		bigJSON := `{"name":"` + strings.Repeat("a", httpx.MaxJSONBody) + `"}`
		bigDoc := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("a"), dossier.MaxDocumentSize)...)
		before := countRows(t, db, "candidates") + countRows(t, db, "dossier_documents") + countRows(t, db, "api_tokens")
		tests := []struct {
			name   string
			send   func() (*http.Response, string)
			status int
			field  string
		}{
			{"API bulk file of 33 MB", func() (*http.Response, string) {
				return km.doBody("POST", "/api/v1/candidates/bulk", bigCSV, map[string]string{"Content-Type": "text/csv"})
			}, http.StatusRequestEntityTooLarge, ""},
			{"API bulk file not as CSV", func() (*http.Response, string) {
				return km.doBody("POST", "/api/v1/candidates/bulk", csvHeader, map[string]string{"Content-Type": "application/json"})
			}, http.StatusUnsupportedMediaType, ""},
			{"web bulk file of 33 MB", func() (*http.Response, string) {
				return km.uploadCSV("/candidates/upload", "file", "c.csv", bigCSV)
			}, http.StatusRequestEntityTooLarge, ""},
			{"API JSON body above 1 MiB", func() (*http.Response, string) {
				return km.doBody("POST", "/api/v1/tokens", bigJSON, map[string]string{"Content-Type": "application/json"})
			}, http.StatusRequestEntityTooLarge, ""},
			{"API JSON body as text", func() (*http.Response, string) {
				return km.doBody("POST", "/api/v1/tokens", `{"name":"x"}`, map[string]string{"Content-Type": "text/plain"})
			}, http.StatusUnsupportedMediaType, ""},
			{"API document above 10 MiB", func() (*http.Response, string) {
				return coach.upload("/api/v1/candidates/"+id+"/documents", "cv", "cv.pdf", bigDoc)
			}, http.StatusRequestEntityTooLarge, "file"},
			{"API document not as a form", func() (*http.Response, string) {
				return coach.doBody("POST", "/api/v1/candidates/"+id+"/documents", "%PDF-1.4", map[string]string{"Content-Type": "application/pdf"})
			}, http.StatusUnsupportedMediaType, ""},
			{"web document above 10 MiB", func() (*http.Response, string) {
				return coach.upload("/candidates/"+id+"/dossier/documents", "cv", "cv.pdf", bigDoc)
			}, http.StatusRequestEntityTooLarge, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := tt.send()
				if resp.StatusCode != tt.status {
					t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tt.status, body)
				}
				if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
					var ae apiError
					decode(t, body, &ae)
					if ae.Error.Field != tt.field || ae.Error.Message == "" {
						t.Fatalf("error %+v, want field %q", ae.Error, tt.field)
					}
				} else if !strings.Contains(body, "groter dan") {
					t.Fatalf("the page does not name the limit: %.300s", body)
				}
			})
		}
		if after := countRows(t, db, "candidates") + countRows(t, db, "dossier_documents") + countRows(t, db, "api_tokens"); after != before {
			t.Fatalf("refused bodies changed the database: %d → %d rows", before, after)
		}
	})
}

// TestUploadTypeFollowsContent: the stored type and the file name follow
// the content, whatever the name says, and a file that only starts like a
// PDF is refused (issue 11 point 7).
func TestUploadTypeFollowsContent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var id string
		if err := db.SQL.QueryRow(`SELECT id FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		coach := e.browser()
		coach.login("coach@demo.opstap.nl")
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 20)...)
		for _, tt := range []struct {
			name    string
			content []byte
			status  int
			file    string
			typ     string
		}{
			{"cv.pdf", png, 201, "cv.png", "image/png"},
			{"scan", png, 201, "scan.png", "image/png"},
			{"cv.PDF", storetest.PDF("cv"), 201, "cv.PDF", "application/pdf"},
			{"cv.docx", storetest.PDF("cv"), 201, "cv.pdf", "application/pdf"},
			{"cv.pdf", []byte("%PDF-"), 422, "", ""},
		} {
			resp, body := coach.upload("/api/v1/candidates/"+id+"/documents", "cv", tt.name, tt.content)
			if resp.StatusCode != tt.status {
				t.Fatalf("%s: %d %s", tt.name, resp.StatusCode, body)
			}
			if tt.status != 201 {
				var ae apiError
				decode(t, body, &ae)
				if ae.Error.Field != "file" {
					t.Fatalf("%s: %+v", tt.name, ae.Error)
				}
				continue
			}
			var doc store.Document
			decode(t, body, &doc)
			if doc.Filename != tt.file || doc.ContentType != tt.typ {
				t.Fatalf("%s stored as %q (%s), want %q (%s)", tt.name, doc.Filename, doc.ContentType, tt.file, tt.typ)
			}
		}
	})
}
