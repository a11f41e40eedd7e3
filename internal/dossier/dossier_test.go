package dossier_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
)

func field(err error) string {
	if e := opstap.AsError(err); e != nil {
		return e.Field
	}
	return ""
}

// TestReportDraft_004: an action plan holds its activities with product
// and results [004 "Kandidaten"]; the other kinds hold a text.
func TestReportDraft_004(t *testing.T) {
	plan := []dossier.Activity{{Activity: "Sollicitatietraining", Product: "CV", Planned: "Drie sollicitaties"}}
	tests := []struct {
		name  string
		d     dossier.ReportDraft
		field string
	}{
		{"action plan", dossier.ReportDraft{Kind: dossier.ReportActionPlan, Content: dossier.ReportContent{Title: "Plan", Activities: plan}}, ""},
		{"action plan without activities", dossier.ReportDraft{Kind: dossier.ReportActionPlan, Content: dossier.ReportContent{Title: "Plan", Body: "tekst"}}, "activities"},
		{"blank lines dropped", dossier.ReportDraft{Kind: dossier.ReportActionPlan, Content: dossier.ReportContent{Title: "Plan", Activities: append([]dossier.Activity{{}}, plan...)}}, ""},
		{"line without activity", dossier.ReportDraft{Kind: dossier.ReportActionPlan, Content: dossier.ReportContent{Title: "Plan", Activities: []dossier.Activity{{Product: "CV"}}}}, "activities"},
		{"extensive with activities", dossier.ReportDraft{Kind: dossier.ReportExtensive, Content: dossier.ReportContent{Title: "R", Body: "x", Activities: plan}}, "activities"},
		{"brief without body", dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "R", Body: " "}}, "body"},
		{"no title", dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: " ", Body: "x"}}, "title"},
		{"too long", dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "R", Body: strings.Repeat("x", 100_000)}}, "body"},
		{"unknown kind", dossier.ReportDraft{Kind: "memo", Content: dossier.ReportContent{Title: "R", Body: "x"}}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f := field(tt.d.ValidateNew()); f != tt.field {
				t.Fatalf("field %q, want %q", f, tt.field)
			}
		})
	}
}

// TestApproval_000art5: the candidate approves exactly the current
// version, once, after it was put before them [000 art 5, 004
// "Toestemming kandidaat"]; only a draft is submitted, and only a draft is
// changed in place.
func TestApproval_000art5(t *testing.T) {
	report := func(statuses ...string) *dossier.Report {
		r := &dossier.Report{CurrentVersion: len(statuses)}
		for i := len(statuses); i >= 1; i-- { // newest first
			r.Versions = append(r.Versions, dossier.ReportVersion{Version: i, Status: statuses[i-1]})
		}
		return r
	}
	tests := []struct {
		name    string
		r       *dossier.Report
		version int
		code    string
	}{
		{"submitted current", report(dossier.StatusSubmitted), 1, ""},
		{"outdated", report(dossier.StatusCommented, dossier.StatusSubmitted), 1, opstap.ECONFLICT},
		{"new current", report(dossier.StatusCommented, dossier.StatusSubmitted), 2, ""},
		{"approved twice", report(dossier.StatusApproved), 1, opstap.ECONFLICT},
		{"commented twice", report(dossier.StatusCommented), 1, opstap.ECONFLICT},
		{"a draft", report(dossier.StatusDraft), 1, opstap.ECONFLICT},
		{"no such version", report(dossier.StatusSubmitted), 3, opstap.EINVALID},
	}
	for _, tt := range tests {
		if got := opstap.ErrorCode(dossier.CheckDecidable(tt.r, tt.version)); got != tt.code {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.code)
		}
	}
	for _, st := range []struct {
		status           string
		inPlace, submits bool
	}{
		{dossier.StatusDraft, true, true},
		{dossier.StatusSubmitted, false, false},
		{dossier.StatusApproved, false, false},
		{dossier.StatusCommented, false, false},
	} {
		v := dossier.ReportVersion{Status: st.status}
		if v.EditsInPlace() != st.inPlace || (v.CheckSubmittable() == nil) != st.submits {
			t.Errorf("%s: in place %v, submittable %v", st.status, v.EditsInPlace(), v.CheckSubmittable() == nil)
		}
	}
	if _, err := dossier.CheckComment("  "); field(err) != "comment" {
		t.Errorf("an empty comment: %v", err)
	}
}

// TestShare_000art5_002art5_1: the legal ground is recorded with every
// sharing (AVG 6(1) a, b, c, f); an action plan or extensive report goes
// under consent only once the candidate approved this version; a brief
// update needs no approval but the candidate is told; health data needs
// written consent and never goes to an employer [000 art 5, 002 art 5.1,
// 004 "Toestemming kandidaat"].
func TestShare_000art5_002art5_1(t *testing.T) {
	given := &consent.Record{Given: true, Method: consent.Portal}
	verbal := &consent.Record{Given: true, Method: consent.Verbal}
	withdrawn := &consent.Record{Given: false, Method: consent.Portal}
	approved := &dossier.ReportVersion{Status: dossier.StatusApproved}
	submitted := &dossier.ReportVersion{Status: dossier.StatusSubmitted}
	health := &dossier.ReportVersion{Status: dossier.StatusApproved, HealthData: true}
	tests := []struct {
		name     string
		kind     dossier.ReportKind
		v        *dossier.ReportVersion
		org      opstap.OrgKind
		g        dossier.LegalGround
		consents map[consent.Topic]*consent.Record
		code     string
	}{
		{"approved plan", dossier.ReportActionPlan, approved, opstap.OrgMunicipality, dossier.GroundConsent, nil, ""},
		{"plan not approved", dossier.ReportActionPlan, submitted, opstap.OrgMunicipality, dossier.GroundConsent, nil, opstap.ECONFLICT},
		{"plan under a legal obligation", dossier.ReportActionPlan, submitted, opstap.OrgMunicipality, dossier.GroundLegalObligation, nil, ""},
		{"extensive not approved", dossier.ReportExtensive, submitted, opstap.OrgMunicipality, dossier.GroundConsent, nil, opstap.ECONFLICT},
		{"brief not approved", dossier.ReportBrief, submitted, opstap.OrgMunicipality, dossier.GroundConsent, nil, ""},
		{"plan consent withdrawn", dossier.ReportActionPlan, approved, opstap.OrgMunicipality, dossier.GroundConsent,
			map[consent.Topic]*consent.Record{consent.ShareActionPlan: withdrawn}, opstap.EFORBIDDEN},
		{"reports consent withdrawn, plan", dossier.ReportActionPlan, approved, opstap.OrgMunicipality, dossier.GroundConsent,
			map[consent.Topic]*consent.Record{consent.ShareReports: withdrawn}, ""},
		{"reports consent withdrawn, brief", dossier.ReportBrief, submitted, opstap.OrgMunicipality, dossier.GroundConsent,
			map[consent.Topic]*consent.Record{consent.ShareReports: withdrawn}, opstap.EFORBIDDEN},
		{"health, written consent", dossier.ReportExtensive, health, opstap.OrgMunicipality, dossier.GroundConsent,
			map[consent.Topic]*consent.Record{consent.ShareHealth: given}, ""},
		{"health, verbal consent", dossier.ReportExtensive, health, opstap.OrgMunicipality, dossier.GroundConsent,
			map[consent.Topic]*consent.Record{consent.ShareHealth: verbal}, opstap.EFORBIDDEN},
		{"health, no consent, other ground", dossier.ReportExtensive, health, opstap.OrgUWV, dossier.GroundLegalObligation, nil, opstap.EFORBIDDEN},
		{"health to an employer", dossier.ReportExtensive, health, opstap.OrgEmployerClient, dossier.GroundConsent,
			map[consent.Topic]*consent.Record{consent.ShareHealth: given}, opstap.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			latest := func(tp consent.Topic) (*consent.Record, error) { return tt.consents[tp], nil }
			if got := opstap.ErrorCode(dossier.CheckShare(tt.kind, tt.v, tt.org, tt.g, latest)); got != tt.code {
				t.Fatalf("%q, want %q", got, tt.code)
			}
		})
	}
	// A failing lookup is passed on.
	boom := errors.New("boom")
	if err := dossier.CheckShare(dossier.ReportBrief, submitted, opstap.OrgMunicipality, dossier.GroundConsent,
		func(consent.Topic) (*consent.Record, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("lookup error: %v", err)
	}
	if !dossier.ReportBrief.ToldAfterwards() || dossier.ReportActionPlan.ToldAfterwards() {
		t.Fatal("only a brief update is told afterwards")
	}
}

// TestLegalGround_AVG6: the four grounds and their articles; every ground
// but consent is explained.
func TestLegalGround_AVG6(t *testing.T) {
	tests := []struct {
		g           dossier.LegalGround
		explanation string
		article     string
		field       string
	}{
		{dossier.GroundConsent, "", "6(1)(a)", ""},
		{dossier.GroundContract, "", "6(1)(b)", "explanation"},
		{dossier.GroundContract, "Art. 7 overeenkomst", "6(1)(b)", ""},
		{dossier.GroundLegalObligation, "Participatiewet", "6(1)(c)", ""},
		{dossier.GroundLegitimateInterest, " ", "6(1)(f)", "explanation"},
		{"vital_interest", "x", "", "legal_ground"},
	}
	for _, tt := range tests {
		if a := tt.g.Article(); a != tt.article {
			t.Errorf("%s: article %q, want %q", tt.g, a, tt.article)
		}
		if f := field(dossier.CheckGround(tt.g, tt.explanation)); f != tt.field {
			t.Errorf("%s %q: field %q, want %q", tt.g, tt.explanation, f, tt.field)
		}
	}
	o := dossier.OralReport{LegalGround: dossier.GroundConsent, Note: "  "}
	if field(o.Validate()) != "note" {
		t.Error("an oral report without a note")
	}
	if err := dossier.CheckOral(dossier.GroundConsent, func(consent.Topic) (*consent.Record, error) {
		return &consent.Record{Given: false}, nil
	}); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
		t.Errorf("oral under a withdrawn consent: %v", err)
	}
}
