package store_test

import (
	"context"
	"encoding/json"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
	"github.com/opstap/opstap/internal/trajectory"
)

// fileFor files a request by the privacy officer on the candidate's behalf.
func (cf *complaintFixture) fileRights(t *testing.T, cand string, kind privacy.RightsKind, received opstap.Date) *store.RightsRequest {
	t.Helper()
	r, err := cf.db.FileRightsRequest(context.Background(), cf.privacy, cand, privacy.NewRightsRequest{Kind: kind, Description: "Graag alles wat u van mij heeft.", ReceivedOn: received})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRightsQueueOverdueFirst_002art7: the privacy officer's queue shows
// overdue requests first, then by deadline; closed ones only on request.
func TestRightsQueueOverdueFirst_002art7(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		today := opstap.DateOf(cf.now)
		fresh := cf.fileRights(t, cf.cand, privacy.RightAccess, today)                     // due in a month
		late := cf.fileRights(t, cf.cand2, privacy.RightRectification, today.AddDays(-40)) // overdue
		later := cf.fileRights(t, cf.cand, privacy.RightObjection, today.AddDays(-45))     // overdue longer
		soon := cf.fileRights(t, cf.cand2, privacy.RightScreening, today.AddDays(-20))     // due in ~10 days
		done := cf.fileRights(t, cf.cand, privacy.RightRectification, today.AddDays(-60))  // answered
		if _, err := db.SetRectification(ctx, cf.privacy, done.ID, privacy.Rectification{Category: opstap.CatBasic, Values: map[string]string{"city": "Almere"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, done.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			filter store.RightsFilter
			want   []string
		}{
			{"open", store.RightsFilter{}, []string{later.ID, late.ID, soon.ID, fresh.ID}},
			{"with closed", store.RightsFilter{Status: store.ListAll}, []string{later.ID, late.ID, soon.ID, fresh.ID, done.ID}},
			{"overdue, from the second", store.RightsFilter{Status: store.ListOverdue, Paging: store.Paging{Offset: 1}}, []string{late.ID}},
			{"oldest received first", store.RightsFilter{Status: store.ListAll, Paging: store.Paging{Sort: store.SortOldest}}, []string{done.ID, later.ID, late.ID, soon.ID, fresh.ID}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				q, _, err := db.RightsQueue(ctx, cf.privacy, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range q {
					got = append(got, r.ID)
				}
				if strings.Join(got, ",") != strings.Join(tt.want, ",") {
					t.Fatalf("order %v, want %v", got, tt.want)
				}
				if q[0].ID == later.ID && (!q[0].Overdue || q[0].CandidateName != "Lisa Hendriks") {
					t.Fatalf("first %+v", q[0])
				}
			})
		}
		if _, _, err := db.RightsQueue(ctx, cf.desk, store.RightsFilter{}); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("desk sees the queue: %v", err)
		}
	})
}

// TestRightsRefusals_002art7: each refusal names its reason.
func TestRightsRefusals_002art7(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		today := opstap.DateOf(cf.now)
		open := cf.fileRights(t, cf.cand, privacy.RightAccess, today)
		extended := cf.fileRights(t, cf.cand, privacy.RightRectification, today)
		if _, err := db.ExtendRightsRequest(ctx, cf.privacy, extended.ID, "Veel gegevens bij derden opvragen."); err != nil {
			t.Fatal(err)
		}
		closed := cf.fileRights(t, cf.cand, privacy.RightScreening, today)
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, closed.ID, privacy.RightsAnswer{Status: privacy.RightsRefused, Text: "Wettelijke bewaarplicht."}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			do    func() error
			code  string
			field string
		}{
			{"unknown candidate", func() error {
				_, err := db.FileRightsRequest(ctx, cf.privacy, "00000000-0000-0000-0000-000000000000", privacy.NewRightsRequest{Kind: privacy.RightAccess})
				return err
			}, opstap.ENOTFOUND, ""},
			{"unknown kind", func() error {
				_, err := db.FileRightsRequest(ctx, cf.privacy, cf.cand, privacy.NewRightsRequest{Kind: "forget_me_not"})
				return err
			}, opstap.EINVALID, "kind"},
			{"received in the future", func() error {
				_, err := db.FileRightsRequest(ctx, cf.privacy, cf.cand, privacy.NewRightsRequest{Kind: privacy.RightAccess, ReceivedOn: today.AddDays(1)})
				return err
			}, opstap.EINVALID, "received_on"},
			{"another candidate files", func() error {
				_, err := db.FileRightsRequest(ctx, cf.stranger, cf.cand, privacy.NewRightsRequest{Kind: privacy.RightAccess})
				return err
			}, opstap.EFORBIDDEN, ""},
			{"a coach not assigned files", func() error {
				_, err := db.FileRightsRequest(ctx, cf.coach2, cf.cand, privacy.NewRightsRequest{Kind: privacy.RightAccess})
				return err
			}, opstap.EFORBIDDEN, ""},
			{"extension without reason", func() error {
				_, err := db.ExtendRightsRequest(ctx, cf.privacy, open.ID, "  ")
				return err
			}, opstap.EINVALID, "reason"},
			{"extension twice", func() error {
				_, err := db.ExtendRightsRequest(ctx, cf.privacy, extended.ID, "Nog meer tijd nodig.")
				return err
			}, opstap.ECONFLICT, ""},
			{"candidate extends", func() error {
				_, err := db.ExtendRightsRequest(ctx, cf.self, open.ID, "Ik wil meer tijd.")
				return err
			}, opstap.EFORBIDDEN, ""},
			{"refusal without reasons", func() error {
				_, err := db.AnswerRightsRequest(ctx, cf.privacy, open.ID, privacy.RightsAnswer{Status: privacy.RightsRefused})
				return err
			}, opstap.EINVALID, "text"},
			{"answer a closed request", func() error {
				_, err := db.AnswerRightsRequest(ctx, cf.privacy, closed.ID, privacy.RightsAnswer{Status: privacy.RightsGranted})
				return err
			}, opstap.ECONFLICT, ""},
			{"withdraw a closed request", func() error {
				_, err := db.WithdrawRightsRequest(ctx, cf.self, closed.ID)
				return err
			}, opstap.ECONFLICT, ""},
			{"export of a request that is not access", func() error {
				_, err := db.AccessExport(ctx, cf.privacy, extended.ID)
				return err
			}, opstap.ECONFLICT, ""},
			{"candidate exports before the grant", func() error {
				_, err := db.AccessExport(ctx, cf.self, open.ID)
				return err
			}, opstap.ECONFLICT, ""},
			{"coach exports", func() error {
				_, err := db.AccessExport(ctx, cf.coach, open.ID)
				return err
			}, opstap.EFORBIDDEN, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.do()
				if opstap.ErrorCode(err) != tt.code {
					t.Fatalf("err %v, want %s", err, tt.code)
				}
				if e := opstap.AsError(err); tt.field != "" && (e == nil || e.Field != tt.field) {
					t.Fatalf("field of %v, want %s", err, tt.field)
				}
			})
		}
		// The extension moved the deadline by two months and told the candidate.
		r, err := db.FindRightsRequest(ctx, cf.self, extended.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.DueOn != privacy.RightsExtendedDue(today) || r.ExtensionReason == "" || r.HandlerUserID != "" {
			t.Fatalf("extended request as the candidate sees it: %+v", r)
		}
		ns, _, err := db.Notifications(ctx, cf.self)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.Kind == store.NoticeRightsUpdate {
				n++
			}
		}
		if n != 2 { // the extension and the refusal
			t.Fatalf("%d notices, want 2", n)
		}
		if storetest.ClearIn(t, db, "rights_requests", "gegevens", "description")+storetest.ClearIn(t, db, "rights_requests", "derden", "extension_reason") != 0 {
			t.Fatal("texts stored in clear")
		}
	})
}

// TestGrantedErasureAndRestrictionCarriedOut_002art7: a granted
// restriction and erasure are carried out by the retention engine; an
// erasure the law forbids (legal hold) is refused with the reason and the
// request stays open, nothing half-done.
func TestGrantedErasureAndRestrictionCarriedOut_002art7(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		today := opstap.DateOf(cf.now)
		restrict := cf.fileRights(t, cf.cand2, privacy.RightRestriction, today)
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, restrict.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindCandidate(ctx, cf.coach, cf.cand2, store.PurposeGuidance, ""); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("coach reads a restricted candidate: %v", err)
		}
		erase := cf.fileRights(t, cf.cand, privacy.RightErasure, today)
		if err := db.SetLegalHold(ctx, cf.privacy, cf.cand, "Lopende rechtszaak over de uitkering."); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, erase.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("erasure under legal hold: %v", err)
		}
		if r, err := db.FindRightsRequest(ctx, cf.privacy, erase.ID); err != nil || r.Status != privacy.RightsInProgress || r.Answer != "" {
			t.Fatalf("after the refused erasure: %+v %v", r, err)
		}
		if err := db.LiftLegalHold(ctx, cf.privacy, cf.cand, "Rechtszaak afgerond."); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, erase.ID, privacy.RightsAnswer{Status: privacy.RightsGranted}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindCandidate(ctx, cf.coach, cf.cand, store.PurposeGuidance, ""); err == nil {
			t.Fatal("erased candidate still readable")
		}
		if q, _, err := db.RightsQueue(ctx, cf.privacy, store.RightsFilter{Status: store.ListAll}); err != nil || len(q) != 2 {
			t.Fatalf("queue after erasure: %d %v", len(q), err)
		}
	})
}

// TestObjectionStopsCommercialUse_001: filing an objection withdraws the
// consent to commercial use at once.
func TestObjectionStopsCommercialUse_001(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		if _, err := db.RecordConsent(ctx, cf.self, cf.cand, consent.Change{Topic: consent.CommercialUse, Given: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FileRightsRequest(ctx, cf.self, cf.cand, privacy.NewRightsRequest{Kind: privacy.RightObjection, Description: "Geen reclame meer."}); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.ConsentGiven(ctx, cf.cand, consent.CommercialUse); err != nil || ok {
			t.Fatalf("commercial use still allowed: %v %v", ok, err)
		}
	})
}

// TestAccessExportComplete_002art7_1 creates data in every table through
// the store and finds every item in the export's JSON [004 "Inzagerecht"].
func TestAccessExportComplete_002art7_1(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		markers := fillEverything(t, cf)
		req, err := db.FileRightsRequest(ctx, cf.self, cf.cand, privacy.NewRightsRequest{Kind: privacy.RightAccess, Description: "marker-request"})
		if err != nil {
			t.Fatal(err)
		}
		// The candidate gets it once granted; the export is logged as such.
		if _, err := db.AnswerRightsRequest(ctx, cf.privacy, req.ID, privacy.RightsAnswer{Status: privacy.RightsGranted, Text: "Bijgaand uw gegevens."}); err != nil {
			t.Fatal(err)
		}
		ex, err := db.AccessExport(ctx, cf.self, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(ex)
		if err != nil {
			t.Fatal(err)
		}
		js := string(b)
		for _, m := range append(markers, "marker-request", "Lisa", "111222333", "participatiewet", "coach@p.nl", "Gemeente Almere", "break_glass", audit.EventWrite) {
			if !strings.Contains(js, m) {
				t.Errorf("export lacks %q", m)
			}
		}
		if len(ex.Files) != 1 || !strings.HasPrefix(string(ex.Files[0].Content), "%PDF-") {
			t.Errorf("files %d", len(ex.Files))
		}
		if len(ex.DossierEntries) != 2 || len(ex.DossierEntries[0].History)+len(ex.DossierEntries[1].History) != 3 {
			t.Errorf("entries %+v", ex.DossierEntries)
		}
		if _, err := db.AccessExport(ctx, cf.self, req.ID); err != nil {
			t.Fatal(err)
		}
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: cf.cand, Event: audit.EventExport})
		n := 0
		for _, e := range es {
			if e.Purpose == store.PurposeRights {
				n++
			}
		}
		if err != nil || n != 2*len(opstap.Categories) {
			t.Fatalf("%d access export entries: %v", n, err)
		}
	})
}

// fillEverything writes into every table that holds the candidate's data
// and returns a marker text for each.
func fillEverything(t *testing.T, cf *complaintFixture) []string {
	t.Helper()
	ctx := context.Background()
	db, id := cf.db, cf.cand
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.WriteCategory(ctx, cf.coach, id, opstap.CatEducation, json.RawMessage(`{"level":"mbo","diplomas":"marker-diploma"}`), store.PurposeGuidance))
	_, err := db.SetLimitations(ctx, cf.medic, id, store.Limitations{Codes: []string{"no_night_shifts"}})
	must(err)
	e, err := db.CreateEntry(ctx, cf.coach, id, dossier.EntryInput{Kind: dossier.EntryConversationNote, Title: "marker-note-v1", Body: "eerste", OccurredOn: opstap.DateOf(cf.now)}, store.PurposeGuidance)
	must(err)
	_, err = db.UpdateEntry(ctx, cf.coach, id, e.ID, dossier.EntryInput{Kind: dossier.EntryConversationNote, Title: "marker-note-v2", Body: "tweede", OccurredOn: opstap.DateOf(cf.now)}, store.PurposeGuidance)
	must(err)
	_, err = db.CreateEntry(ctx, cf.medic, id, dossier.EntryInput{Kind: dossier.EntryMedicalNote, Title: "marker-medical", Body: "x", OccurredOn: opstap.DateOf(cf.now)}, store.PurposeGuidance)
	must(err)
	_, err = db.UploadDocument(ctx, cf.coach, id, dossier.DocLetter, "marker-brief.pdf", storetest.PDF("âãÏÓ"))
	must(err)
	tr, err := db.CreateTrajectory(ctx, cf.coach, id, store.NewTrajectory{Kind: trajectory.KindReintegration})
	must(err)
	ap, err := db.AddAppointment(ctx, cf.coach, tr.ID, trajectory.Appointment{StartsAt: cf.now.Add(72 * time.Hour), Kind: trajectory.AppointmentMeeting, Location: "marker-location"})
	must(err)
	_, err = db.ReportAbsence(ctx, cf.self, ap.ID, "marker-absence", true)
	must(err)
	_, err = db.RecordConsent(ctx, cf.self, id, consent.Change{Topic: consent.ShareReports, Given: true, Purpose: "marker-consent"})
	must(err)
	r, err := db.CreateReport(ctx, cf.coach, id, dossier.ReportDraft{Kind: dossier.ReportBrief, Content: dossier.ReportContent{Title: "marker-report", Body: "voortgang"}})
	must(err)
	_, err = db.ShareReport(ctx, cf.coach, r.ID, dossier.ShareRequest{Version: 1, LegalGround: dossier.GroundContract, Explanation: "marker-sharing"})
	must(err)
	_, err = db.RecordOralReport(ctx, cf.coach, id, dossier.OralReport{LegalGround: dossier.GroundContract, Explanation: "uitvoering van de opdracht", Note: "marker-oral"})
	must(err)
	c, err := db.FileComplaint(ctx, cf.self, id, complaint.New{Subject: "marker-complaint", Description: "te laat"})
	must(err)
	_, err = db.HandleComplaint(ctx, cf.desk, c.ID, complaint.Step{Kind: complaint.StepNote, Text: "marker-complaint-note"})
	must(err)
	_, err = db.FindCandidate(ctx, cf.coach2, id, store.PurposeGuidance, "marker-break-glass reason")
	must(err)
	return []string{"marker-diploma", "no_night_shifts", "marker-note-v1", "marker-note-v2", "marker-medical", "marker-brief.pdf",
		"marker-location", "marker-absence", "marker-consent", "marker-report", "marker-sharing", "marker-oral",
		"marker-complaint", "marker-complaint-note", "marker-break-glass reason", "klachten@p.nl"}
}

// TestAccessLogForCandidate_issue4point7: the candidate sees roles and
// organisations, newest first, without staff names or their own use.
func TestAccessLogForCandidate_issue4point7(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		for range store.AccessLogPageSize + 5 {
			if _, err := db.FindCandidate(ctx, cf.coach, cf.cand, store.PurposeGuidance, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.FindCandidate(ctx, cf.self, cf.cand, store.PurposeSelf, ""); err != nil {
			t.Fatal(err)
		}
		p, err := db.AccessLog(ctx, cf.self, cf.cand, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Entries) != store.AccessLogPageSize || p.Next == 0 {
			t.Fatalf("page of %d, next %d", len(p.Entries), p.Next)
		}
		first := p.Entries[0]
		if first.Role != string(opstap.RoleCoach) || first.Organisation != "Provider" || first.ActorName != "" || first.Purpose != store.PurposeGuidance {
			t.Fatalf("newest %+v", first)
		}
		if p.Entries[1].Seq > first.Seq {
			t.Fatal("not newest first")
		}
		p2, err := db.AccessLog(ctx, cf.self, cf.cand, p.Next)
		if err != nil || len(p2.Entries) == 0 || p2.Entries[0].Seq >= p.Next {
			t.Fatalf("second page %+v %v", p2, err)
		}
		if _, err := db.AccessLog(ctx, cf.stranger, cf.cand, 0); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("another candidate reads the log: %v", err)
		}
	})
}
