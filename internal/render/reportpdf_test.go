package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/dossier"

	"github.com/opstap/opstap/internal/store"
)

// sample is a shared action plan whose texts need more than Latin-1.
func sample() *store.SharedReport {
	at := time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)
	return &store.SharedReport{
		SharedDocument: store.SharedDocument{CandidateName: "Zoë van IJsselstein-Müller", Version: 2, Kind: dossier.ReportActionPlan, AVGArticle: "6(1)(a)", SharedAt: at},
		Content: dossier.ReportContent{Title: "Plan van aanpak — Zoë", Body: "Doel: een baan als hovenier; de cliënt heeft één café-opleiding afgerond.\n\nOverleg met de ĳzerhandel in Almere.",
			Activities: []dossier.Activity{{Activity: "Sollicitatietraining", Product: "cv en motivatiebrief", Planned: "twee sollicitaties per week", Achieved: "vijf gesprekken, één proefplaatsing"}}},
		Provider: "Opstap Re-integratie B.V.", Commissioner: "Gemeente Almere", Status: dossier.StatusApproved, DecidedAt: &at,
	}
}

// tool returns the path of an external checker; it skips when the binary
// is missing outside CI and fails in CI, where .ci/run installs it.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: install qpdf and poppler-utils", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

func writeSample(t *testing.T) string {
	t.Helper()
	b, err := SharedReportPDF(sample(), time.Date(2026, 3, 14, 11, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReportPDFIsSound renders a report with Dutch diacritics and checks
// the file with qpdf (structure) and pdffonts (every font embedded) [004
// "Rapportage naar opdrachtgever"].
func TestReportPDFIsSound(t *testing.T) {
	p := writeSample(t)
	t.Run("qpdf", func(t *testing.T) {
		out, err := exec.Command(tool(t, "qpdf"), "--check", p).CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
			t.Fatalf("qpdf --check: %v\n%s", err, out)
		}
	})
	t.Run("pdffonts", func(t *testing.T) {
		out, err := exec.Command(tool(t, "pdffonts"), p).CombinedOutput()
		if err != nil {
			t.Fatalf("pdffonts: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 3 {
			t.Fatalf("no fonts listed:\n%s", out)
		}
		// Columns: name type encoding emb sub uni object ID; emb is the
		// fourth from the right of the fixed columns.
		for _, l := range lines[2:] {
			f := strings.Fields(l)
			if len(f) < 7 || f[len(f)-5] != "yes" {
				t.Errorf("font not embedded: %s", l)
			}
		}
	})
	t.Run("text", func(t *testing.T) {
		out, err := exec.Command(tool(t, "pdftotext"), p, "-").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Zoë van IJsselstein-Müller") || !strings.Contains(string(out), "café") {
			t.Fatalf("text: %v\n%s", err, out)
		}
	})
}

// TestPDFsArePDFA checks every kind of PDF Opstap sends out with PDFBox
// Preflight (PDF/A-1b, for archiving): in CI, where .ci/run installs it, or
// locally with OPSTAP_PREFLIGHT=1.
func TestPDFsArePDFA(t *testing.T) {
	if os.Getenv("OPSTAP_PREFLIGHT") == "" && os.Getenv("CI") == "" {
		t.Skip("set OPSTAP_PREFLIGHT=1 to run PDFBox Preflight")
	}
	jars := []string{"preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"}
	for i, j := range jars {
		jars[i] = "/usr/share/java/" + j + ".jar"
		if _, err := os.Stat(jars[i]); err != nil {
			t.Fatalf("%s is missing: install libpdfbox2-java libactivation-java libjaxb-api-java", jars[i])
		}
	}
	report, err := SharedReportPDF(sample(), time.Date(2026, 3, 14, 11, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	letter, err := RightsLetterPDF(sampleLetter(), "nl", letterAt)
	if err != nil {
		t.Fatal(err)
	}
	employer, candidate, err := PlacementPDFs(samplePlacement())
	if err != nil {
		t.Fatal(err)
	}
	inv, err := InvoicePDF(sampleInvoice())
	if err != nil {
		t.Fatal(err)
	}
	settlement, err := SettlementPDF(sampleSettlement(t, 18_213, 3_100), settledAt)
	if err != nil {
		t.Fatal(err)
	}
	monthly, err := MonthlyReportPDF(sampleMonthly(), "Opstap", "nl", reportMade)
	if err != nil {
		t.Fatal(err)
	}
	quarterly, err := QuarterlyReportPDF(sampleQuarterly(), "Opstap", "nl", reportMade)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"report": report, "letter": letter, "employer confirmation": employer, "candidate confirmation": candidate,
		"invoice": inv, "settlement": settlement, "management report": monthly, "progress report": quarterly} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "doc.pdf")
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(tool(t, "java"), "-cp", strings.Join(jars, ":"), "org.apache.pdfbox.preflight.Validator_A1b", p).CombinedOutput()
			if err != nil {
				t.Fatalf("preflight: %v\n%s", err, out)
			}
		})
	}
}
