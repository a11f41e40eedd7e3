package store_test

import (
	"context"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// reportFixture adds to the base fixture a candidate with a portal account
// and a second candidate of the same municipality.
type reportFixture struct {
	*fixture
	c, c2 *candidate.Candidate
	self  *opstap.Actor // the candidate's own account
}

func newReportFixture(t *testing.T, db *store.DB) *reportFixture {
	t.Helper()
	ctx := context.Background()
	f := &reportFixture{fixture: newFixture(t, db)}
	f.c = f.register(t, "R-1", "Eline", "Brouwer")
	f.c2 = f.register(t, "R-2", "Daan", "Koç")
	sys := &opstap.Actor{System: true}
	u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: f.municipality, Email: "eline@example.nl", Name: "Eline", Grants: []access.GrantSpec{{Role: opstap.RoleCandidate}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.LinkCandidateUser(ctx, sys, f.c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	f.self = u.Actor(db.Now(), "127.0.0.1")
	return f
}

func actionPlan(title string) dossier.ReportDraft {
	return dossier.ReportDraft{Kind: dossier.ReportActionPlan, Content: dossier.ReportContent{Title: title, Body: "Doel: betaald werk binnen één jaar.",
		Activities: []dossier.Activity{{Activity: "Sollicitatietraining", Product: "cv", Planned: "cv gereed", Achieved: ""}}}}
}

// newReport creates a report of the fixture's candidate and fails the test
// on error.
func (f *reportFixture) newReport(t *testing.T, d dossier.ReportDraft) *dossier.Report {
	t.Helper()
	r, err := f.db.CreateReport(context.Background(), f.coach, f.c.ID, d)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// submitted creates an action plan and puts it before the candidate.
func (f *reportFixture) submitted(t *testing.T) *dossier.Report {
	t.Helper()
	r := f.newReport(t, actionPlan("Plan van aanpak"))
	if err := f.db.SubmitReport(context.Background(), f.coach, r.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *reportFixture) consent(t *testing.T, topic consent.Topic, given bool, by *opstap.Actor, m consent.Method) {
	t.Helper()
	if _, err := f.db.RecordConsent(context.Background(), by, f.c.ID, consent.Change{Topic: topic, Given: given, Method: m}); err != nil {
		t.Fatal(err)
	}
}

func (f *reportFixture) notices(t *testing.T, kind string) int {
	t.Helper()
	var n int
	if err := f.db.SQL.QueryRow(`SELECT COUNT(*) FROM notifications WHERE user_id = '` + f.self.UserID + `' AND kind = '` + kind + `'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if opstap.ErrorCode(err) != code {
		t.Fatalf("err %v, want %q", err, code)
	}
}

func TestConsentVersionedAndWithdrawnAtOnce_001_004(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		f.consent(t, consent.Newsletters, true, f.self, "")
		if _, err := db.RecordConsent(ctx, f.coach, f.c.ID, consent.Change{Topic: consent.CommercialUse, Given: true,
			Method: consent.Paper, DocumentID: signedForm(t, db, f.coach, f.c.ID)}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := db.ConsentGiven(ctx, f.c.ID, consent.CommercialUse); !ok {
			t.Fatal("paper consent not in force")
		}
		// An objection stops commercial use at once [001]; newsletters opt-out [004].
		f.consent(t, consent.CommercialUse, false, f.self, consent.Portal)
		f.consent(t, consent.Newsletters, false, f.self, "")
		for _, topic := range []consent.Topic{consent.CommercialUse, consent.Newsletters} {
			if ok, err := db.ConsentGiven(ctx, f.c.ID, topic); err != nil || ok {
				t.Fatalf("%s still given after withdrawal: %v", topic, err)
			}
		}
		hist, err := db.Consents(ctx, f.self, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 4 {
			t.Fatalf("history has %d rows, want 4 (never overwritten)", len(hist))
		}
		cur := consent.Current(hist)
		if c := cur[consent.CommercialUse]; c.Given || c.Version != 2 || c.Purpose == "" {
			t.Fatalf("current commercial use %+v", c)
		}
		tests := []struct {
			name  string
			actor *opstap.Actor
			ch    consent.Change
			code  string
		}{
			{"candidate records paper", f.self, consent.Change{Topic: consent.ShareCV, Given: true, Method: consent.Paper}, opstap.EINVALID},
			{"coach records portal", f.coach, consent.Change{Topic: consent.ShareCV, Given: true, Method: consent.Portal}, opstap.EINVALID},
			{"coach records verbal", f.coach, consent.Change{Topic: consent.ShareCV, Given: true, Method: consent.Verbal}, ""},
			{"commissioner records", f.manager, consent.Change{Topic: consent.ShareCV, Given: true, Method: consent.Paper}, opstap.EFORBIDDEN},
			{"other municipality", f.other, consent.Change{Topic: consent.ShareCV, Given: true, Method: consent.Paper}, opstap.EFORBIDDEN},
			{"unknown topic", f.self, consent.Change{Topic: "lottery", Given: true}, opstap.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.RecordConsent(ctx, tt.actor, f.c.ID, tt.ch)
				wantCode(t, err, tt.code)
			})
		}
	})
}

func TestApprovalOfExactVersion_000art5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		r := f.submitted(t)
		if f.notices(t, store.NoticeReportAwaitingApproval) != 1 {
			t.Fatal("candidate not told about the report awaiting approval")
		}
		// Only the candidate approves; the coach cannot approve for them.
		wantCode(t, db.ApproveReport(ctx, f.coach, r.ID, 1), opstap.EFORBIDDEN)
		// Editing a submitted version makes version 2, a draft.
		r2, err := db.UpdateReport(ctx, f.coach, r.ID, actionPlan("Plan van aanpak, herzien"))
		if err != nil {
			t.Fatal(err)
		}
		if r2.CurrentVersion != 2 || r2.Current().Status != dossier.StatusDraft || len(r2.Versions) != 2 {
			t.Fatalf("after edit: %+v", r2)
		}
		wantCode(t, db.ApproveReport(ctx, f.self, r.ID, 1), opstap.ECONFLICT) // outdated
		wantCode(t, db.ApproveReport(ctx, f.self, r.ID, 2), opstap.ECONFLICT) // still a draft
		if err := db.SubmitReport(ctx, f.coach, r.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.ApproveReport(ctx, f.self, r.ID, 2); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.ApproveReport(ctx, f.self, r.ID, 2), opstap.ECONFLICT) // approved twice
		// Sharing version 2 under consent works; version 1 was never approved.
		if _, err := db.ShareReport(ctx, f.coach, r.ID, dossier.ShareRequest{Version: 1, LegalGround: dossier.GroundConsent}); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("share unapproved v1: %v", err)
		}
		if _, err := db.ShareReport(ctx, f.coach, r.ID, dossier.ShareRequest{Version: 2, LegalGround: dossier.GroundConsent}); err != nil {
			t.Fatal(err)
		}
		// Editing after approval needs a new approval.
		r3, err := db.UpdateReport(ctx, f.coach, r.ID, actionPlan("Plan van aanpak, derde versie"))
		if err != nil {
			t.Fatal(err)
		}
		if r3.CurrentVersion != 3 || r3.Versions[1].Status != dossier.StatusApproved {
			t.Fatalf("after edit of approved version: %+v", r3.Versions)
		}
		if _, err := db.ShareReport(ctx, f.coach, r.ID, dossier.ShareRequest{LegalGround: dossier.GroundConsent}); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("share unapproved v3: %v", err)
		}
		// The candidate comments instead of approving; the comment is kept sealed.
		if err := db.SubmitReport(ctx, f.coach, r.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.CommentReport(ctx, f.self, r.ID, 3, " "), opstap.EINVALID)
		if err := db.CommentReport(ctx, f.self, r.ID, 3, "Graag ook de taalcursus opnemen."); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.ApproveReport(ctx, f.self, r.ID, 3), opstap.ECONFLICT)
		rs, err := db.Reports(ctx, f.self, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Current().Comment != "Graag ook de taalcursus opnemen." {
			t.Fatalf("candidate's view: %+v", rs)
		}
	})
}

func TestShareLegalGrounds_000art5_004(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		tests := []struct {
			name string
			req  dossier.ShareRequest
			code string
		}{
			{"consent without approval", dossier.ShareRequest{LegalGround: dossier.GroundConsent}, opstap.ECONFLICT},
			{"no ground", dossier.ShareRequest{}, opstap.EINVALID},
			{"legitimate interest without explanation", dossier.ShareRequest{LegalGround: dossier.GroundLegitimateInterest}, opstap.EINVALID},
			{"legitimate interest explained", dossier.ShareRequest{LegalGround: dossier.GroundLegitimateInterest, Explanation: "Poortwachter: de werkgever moet het plan hebben."}, ""},
			{"legal obligation explained", dossier.ShareRequest{LegalGround: dossier.GroundLegalObligation, Explanation: "Participatiewet art. 44: inlichtingenplicht."}, ""},
			{"contract explained", dossier.ShareRequest{LegalGround: dossier.GroundContract, Explanation: "Uitvoering van de overeenkomst."}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := f.submitted(t)
				s, err := db.ShareReport(ctx, f.coach, r.ID, tt.req)
				wantCode(t, err, tt.code)
				if tt.code == "" && (s.AVGArticle != tt.req.LegalGround.Article() || s.OrgID != f.municipality || s.Version != 1) {
					t.Fatalf("sharing %+v", s)
				}
			})
		}
		// A withdrawn consent stops sharing under consent at once, even of an
		// approved version.
		r := f.submitted(t)
		if err := db.ApproveReport(ctx, f.self, r.ID, 1); err != nil {
			t.Fatal(err)
		}
		f.consent(t, consent.ShareActionPlan, false, f.self, "")
		_, err := db.ShareReport(ctx, f.coach, r.ID, dossier.ShareRequest{LegalGround: dossier.GroundConsent})
		wantCode(t, err, opstap.EFORBIDDEN)
		// The candidate and the commissioner cannot share.
		_, err = db.ShareReport(ctx, f.manager, r.ID, dossier.ShareRequest{LegalGround: dossier.GroundContract, Explanation: "x"})
		wantCode(t, err, opstap.EFORBIDDEN)
	})
}

func TestBriefUpdateWithoutApprovalButCandidateTold_004(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		r := f.newReport(t, dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "Voortgang maart", Body: "Eline is gestart met de training."}})
		if _, err := db.ShareReport(ctx, f.coach, r.ID, dossier.ShareRequest{LegalGround: dossier.GroundConsent}); err != nil {
			t.Fatal(err)
		}
		if n := f.notices(t, store.NoticeBriefUpdateShared); n != 1 {
			t.Fatalf("%d brief update notices, want 1", n)
		}
		// Activities belong to action plans only.
		_, err := db.CreateReport(ctx, f.coach, f.c.ID, dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "x", Body: "y", Activities: []dossier.Activity{{Activity: "z"}}}})
		wantCode(t, err, opstap.EINVALID)
	})
}

func TestHealthDataNeedsWrittenConsent_002art5_1(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		d := dossier.ReportDraft{Kind: dossier.ReportExtensive, HealthData: true, Content: dossier.ReportContent{Title: "Rapportage", Body: "Belastbaarheid: 20 uur per week."}}
		r := f.newReport(t, d)
		share := func() error {
			_, err := db.ShareReport(ctx, f.coach, r.ID, dossier.ShareRequest{LegalGround: dossier.GroundLegalObligation, Explanation: "Wettelijke rapportageplicht."})
			return err
		}
		wantCode(t, share(), opstap.EFORBIDDEN) // no consent
		_, err := db.RecordConsent(ctx, f.coach, f.c.ID, consent.Change{Topic: consent.ShareHealth, Given: true, Method: consent.Verbal})
		wantCode(t, err, opstap.EINVALID) // verbal is not written [issue 8 point 9]
		wantCode(t, share(), opstap.EFORBIDDEN)
		f.consent(t, consent.ShareHealth, true, f.self, consent.Portal)
		wantCode(t, share(), "")
		f.consent(t, consent.ShareHealth, false, f.self, consent.Portal)
		wantCode(t, share(), opstap.EFORBIDDEN) // withdrawn at once
	})
}

func TestCommissionerSeesOnlyShared_000art5(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		shared := f.submitted(t)
		f.submitted(t) // awaiting approval: never visible to the commissioner
		s, err := db.ShareReport(ctx, f.coach, shared.ID, dossier.ShareRequest{LegalGround: dossier.GroundContract, Explanation: "Trajectafspraak."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordOralReport(ctx, f.coach, f.c.ID, dossier.OralReport{LegalGround: dossier.GroundContract, Explanation: "Trajectafspraak.", Note: "Telefonisch de voortgang besproken."}); err != nil {
			t.Fatal(err)
		}
		docs, err := db.SharedWithOrganisation(ctx, f.manager)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 || docs[0].SharingID != s.ID || docs[0].Title != "Plan van aanpak" || docs[0].CandidateName != "Eline Brouwer" {
			t.Fatalf("case manager sees %+v", docs)
		}
		if _, err := db.Reports(ctx, f.manager, f.c.ID); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager lists all reports: %v", err)
		}
		sr, err := db.FindSharedReport(ctx, f.manager, s.ID)
		if err != nil || sr.Content.Activities[0].Activity != "Sollicitatietraining" || sr.Commissioner != "Gemeente Almere" {
			t.Fatalf("download: %+v %v", sr, err)
		}
		// Another municipality sees nothing and cannot download.
		docs, err = db.SharedWithOrganisation(ctx, f.other)
		if err != nil || len(docs) != 0 {
			t.Fatalf("other municipality sees %d: %v", len(docs), err)
		}
		_, err = db.FindSharedReport(ctx, f.other, s.ID)
		wantCode(t, err, opstap.ENOTFOUND)
		// The candidate is not a receiver of the list.
		_, err = db.SharedWithOrganisation(ctx, f.self)
		wantCode(t, err, opstap.EFORBIDDEN)
		oral, err := db.OralReports(ctx, f.coach, f.c.ID)
		if err != nil || len(oral) != 1 || oral[0].Note != "Telefonisch de voortgang besproken." {
			t.Fatalf("oral reports %+v %v", oral, err)
		}
	})
}

func TestMedicalNeverToEmployer_002art5_1(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		sys := &opstap.Actor{System: true}
		emp := &account.Organisation{Name: "Werkgever B.V.", Kind: opstap.OrgEmployerClient}
		if err := db.CreateOrganisation(ctx, sys, emp); err != nil {
			t.Fatal(err)
		}
		born, _ := opstap.ParseDate("1980-01-01")
		c, err := db.RegisterCandidate(ctx, sys, candidate.Registration{CommissionerOrgID: emp.ID, CoachUserID: f.coach.UserID, Basic: candidate.Basic{FirstName: "Ex", LastName: "Werknemer", BirthDate: born}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordConsent(ctx, f.coach, c.ID, consent.Change{Topic: consent.ShareHealth, Given: true, Method: consent.Paper,
			DocumentID: signedForm(t, db, f.coach, c.ID)}); err != nil {
			t.Fatal(err)
		}
		r, err := db.CreateReport(ctx, f.coach, c.ID, dossier.ReportDraft{Kind: dossier.ReportBrief, HealthData: true, Content: dossier.ReportContent{Title: "x", Body: "Hersteld na operatie."}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ShareReport(ctx, f.coach, r.ID, dossier.ShareRequest{LegalGround: dossier.GroundContract, Explanation: "Poortwachter."})
		wantCode(t, err, opstap.EFORBIDDEN)
	})
}
