package render

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/privacy"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
)

var letterAt = time.Date(2026, 3, 14, 11, 0, 0, 0, time.UTC)

func sampleLetter() *store.RightsLetter {
	return &store.RightsLetter{Provider: "Opstap Re-integratie B.V.", Request: &store.RightsRequest{
		CandidateName: "Zoë van IJsselstein-Müller", Kind: privacy.RightErasure, Status: privacy.RightsPartlyGranted,
		ReceivedOn: opstap.Date{Year: 2026, Month: 1, Day: 31}, AnsweredOn: opstap.Date{Year: 2026, Month: 2, Day: 20},
		Answer: "Uw gespreksnotities zijn gewist. De facturen blijven zeven jaar bewaard: dat eist de fiscale bewaarplicht (AWR art. 52).",
	}}
}

func sampleExport() *store.Export {
	basic, _ := json.Marshal(map[string]string{"first_name": "Zoë", "last_name": "Müller"})
	return &store.Export{Format: store.ExportFormat, GeneratedAt: letterAt, Provider: "Opstap Re-integratie B.V.",
		Candidate:      store.ExportCandidate{ID: "c1", Commissioner: "Gemeente Almere"},
		Categories:     []store.ExportCategory{{Category: opstap.CatBasic, Data: basic}},
		DossierEntries: []store.ExportEntry{{Entry: store.Entry{ID: "e1"}, History: []store.EntryVersion{{Version: 1, Title: "Intake café", Body: "Eerste gesprek."}}}},
		AccessLog:      []store.AccessLogEntry{{At: letterAt, Role: "coach", Organisation: "Opstap", Purpose: "guidance", Event: "read"}},
		Files:          []store.ExportFile{{DocumentID: "d1", Name: "../cv.pdf", Content: []byte("%PDF-1.4")}},
	}
}

// checkPDF runs qpdf (structure) and pdffonts (every font embedded) on b,
// as TestReportPDFIsSound does, and returns the text when pdftotext exists.
func checkPDF(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool(t, "qpdf"), "--check", p).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	out, err = exec.Command(tool(t, "pdffonts"), p).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil || len(lines) < 3 {
		t.Fatalf("pdffonts: %v\n%s", err, out)
	}
	for _, l := range lines[2:] {
		if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
	text, err := exec.Command(tool(t, "pdftotext"), p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// TestRightsLetterPDF_001: a partial refusal goes out in writing with its
// reasons, in the reader's language, as a sound PDF.
func TestRightsLetterPDF_001(t *testing.T) {
	b, err := RightsLetterPDF(sampleLetter(), "nl", letterAt)
	if err != nil {
		t.Fatal(err)
	}
	text := checkPDF(t, b)
	for _, want := range []string{"Zoë van IJsselstein-Müller", "fiscale bewaarplicht", "31-01-2026"} {
		if text != "" && !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("letter lacks %q:\n%s", want, text)
		}
	}
}

// TestExportZIP_002art7_1: the access export is a ZIP with the JSON, a
// readable PDF and the documents, whose names cannot leave their folder.
func TestExportZIP_002art7_1(t *testing.T) {
	b, err := ExportZIP(sampleExport(), "nl")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(rc)
		rc.Close()
		files[f.Name] = buf.Bytes()
	}
	if !json.Valid(files[ExportJSONName]) || !bytes.Contains(files[ExportJSONName], []byte("Intake café")) {
		t.Fatalf("json: %s", files[ExportJSONName])
	}
	if _, ok := files["documents/d1-cv.pdf"]; !ok {
		t.Fatalf("document missing or misplaced: %v", len(files))
	}
	text := checkPDF(t, files[ExportPDFName])
	if text != "" && !strings.Contains(text, "Intake café") {
		t.Fatalf("pdf text:\n%s", text)
	}
}
