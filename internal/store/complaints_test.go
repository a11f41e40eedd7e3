package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// complaintFixture adds a complaints desk, a privacy officer and a
// candidate with a portal account to the base fixture.
type complaintFixture struct {
	*fixture
	desk, desk2, privacy, self, stranger *opstap.Actor
	cand, cand2                          string
	now                                  time.Time
}

func newComplaintFixture(t *testing.T, db *store.DB) *complaintFixture {
	t.Helper()
	ctx := context.Background()
	cf := &complaintFixture{now: time.Date(2026, time.March, 4, 10, 0, 0, 0, opstap.Amsterdam)} // a Wednesday
	db.Now = func() time.Time { return cf.now }
	cf.fixture = newFixture(t, db)
	sys := &opstap.Actor{System: true}
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var prov string
	for _, o := range orgs {
		if o.Kind == opstap.OrgProvider {
			prov = o.ID
		}
	}
	user := func(email, orgID string, role opstap.Role) *opstap.Actor {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: orgID, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	cf.desk = user("klachten@p.nl", prov, opstap.RoleComplaintsDesk)
	cf.desk2 = user("klachten2@p.nl", prov, opstap.RoleComplaintsDesk)
	cf.privacy = user("privacy@p.nl", prov, opstap.RolePrivacyOfficer)
	cf.self = user("lisa@example.nl", cf.municipality, opstap.RoleCandidate)
	cf.stranger = user("tom@example.nl", cf.municipality, opstap.RoleCandidate)
	cf.cand = cf.register(t, "K-1", "Lisa", "Hendriks").ID
	cf.cand2 = cf.register(t, "K-2", "Tom", "Verbeek").ID
	if err := db.LinkCandidateUser(ctx, sys, cf.cand, cf.self.UserID); err != nil {
		t.Fatal(err)
	}
	if err := db.LinkCandidateUser(ctx, sys, cf.cand2, cf.stranger.UserID); err != nil {
		t.Fatal(err)
	}
	return cf
}

func (cf *complaintFixture) file(t *testing.T, cand, subject string, received opstap.Date) *complaint.Complaint {
	t.Helper()
	c, err := cf.db.FileComplaint(context.Background(), cf.desk, cand, complaint.New{Channel: complaint.ChannelPhone, Subject: subject, Description: "Mijn coach kwam drie keer niet opdagen.", ReceivedOn: received})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (cf *complaintFixture) step(t *testing.T, id string, st complaint.Step) *complaint.Complaint {
	t.Helper()
	c, err := cf.db.HandleComplaint(context.Background(), cf.desk, id, st)
	if err != nil {
		t.Fatalf("%s: %v", st.Kind, err)
	}
	return c
}

func TestComplaintQueueOverdueFirst_000art12(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		today := opstap.DateOf(cf.now)
		fresh := cf.file(t, cf.cand, "fresh", today)                                // ack due 11 March
		lateAck := cf.file(t, cf.cand2, "late acknowledgement", today.AddDays(-10)) // ack due 2 March: overdue
		lateOutcome := cf.file(t, cf.cand, "late outcome", today.AddDays(-50))      // outcome due 50-42 = 8 days ago
		cf.step(t, lateOutcome.ID, complaint.Step{Kind: complaint.StepAcknowledge, On: today.AddDays(-48)})
		soon := cf.file(t, cf.cand2, "soon", today.AddDays(-2)) // ack due 9 March
		decided := cf.file(t, cf.cand, "decided", today.AddDays(-60))
		cf.step(t, decided.ID, complaint.Step{Kind: complaint.StepOutcome, Outcome: complaint.OutcomeNotUpheld, Text: "Geen grond."})

		tests := []struct {
			name   string
			filter store.ComplaintFilter
			want   []string
		}{
			{"open queue", store.ComplaintFilter{}, []string{lateOutcome.ID, lateAck.ID, soon.ID, fresh.ID}},
			{"with closed", store.ComplaintFilter{Status: store.ListAll}, []string{lateOutcome.ID, lateAck.ID, soon.ID, fresh.ID, decided.ID}},
			{"overdue only", store.ComplaintFilter{Status: store.ListOverdue}, []string{lateOutcome.ID, lateAck.ID}},
			{"closed only", store.ComplaintFilter{Status: store.ListClosed}, []string{decided.ID}},
			{"newest received first", store.ComplaintFilter{Status: store.ListAll, Paging: store.Paging{Sort: store.SortNewest}}, []string{fresh.ID, soon.ID, lateAck.ID, lateOutcome.ID, decided.ID}},
			{"second page", store.ComplaintFilter{Paging: store.Paging{Offset: 1, Limit: 2}}, []string{lateAck.ID, soon.ID}},
			{"one candidate", store.ComplaintFilter{CandidateID: cf.cand2}, []string{lateAck.ID, soon.ID}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, _, err := db.FindComplaints(ctx, cf.desk, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, c := range got {
					ids = append(ids, c.ID)
				}
				if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
					t.Fatalf("order\n got %v\nwant %v", ids, tt.want)
				}
			})
		}
		got, _, _ := db.FindComplaints(ctx, cf.desk, store.ComplaintFilter{})
		if !got[0].Overdue || !got[1].Overdue || got[2].Overdue || got[0].CandidateName != "Lisa Hendriks" || got[0].Subject != "late outcome" {
			t.Fatalf("queue fields: %+v", got[0])
		}
	})
}

func TestComplaintDeadlinesStored_000art12(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cf := newComplaintFixture(t, db)
		// Received Friday 27 February 2026: five working days end on Friday
		// 6 March, six weeks on Friday 10 April.
		c := cf.file(t, cf.cand, "deadlines", opstap.Date{Year: 2026, Month: time.February, Day: 27})
		if c.AckDueOn.String() != "2026-03-06" || c.OutcomeDueOn.String() != "2026-04-10" || c.Status != complaint.StatusReceived {
			t.Fatalf("deadlines %s %s %s", c.AckDueOn, c.OutcomeDueOn, c.Status)
		}
		// A received date in the future is refused.
		_, err := db.FileComplaint(context.Background(), cf.desk, cf.cand, complaint.New{Subject: "x", Description: "y", Channel: complaint.ChannelLetter, ReceivedOn: opstap.DateOf(cf.now).AddDays(1)})
		if e := opstap.AsError(err); e == nil || e.Field != "received_on" {
			t.Fatalf("future receipt: %v", err)
		}
	})
}

func TestComplaintHandlingNotifiesCandidate_000art12(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		// The candidate files in the portal: received today, channel portal,
		// no notice to themself.
		c, err := db.FileComplaint(ctx, cf.self, cf.cand, complaint.New{Channel: complaint.ChannelPhone, Subject: "Afspraak vergeten", Description: "Mijn coach Sanne kwam niet.", ReceivedOn: opstap.DateOf(cf.now).AddDays(-30)})
		if err != nil {
			t.Fatal(err)
		}
		if c.Channel != complaint.ChannelPortal || c.ReceivedOn != opstap.DateOf(cf.now) {
			t.Fatalf("portal complaint %s %s", c.Channel, c.ReceivedOn)
		}
		unread := func() int {
			n, err := db.UnreadNotifications(ctx, cf.self)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if unread() != 0 {
			t.Fatal("filing oneself notifies")
		}
		steps := []struct {
			name   string
			step   complaint.Step
			status complaint.Status
			code   string
		}{
			{"assign a coach", complaint.Step{Kind: complaint.StepAssign, HandlerUserID: cf.coach.UserID}, "", opstap.EINVALID},
			{"acknowledge", complaint.Step{Kind: complaint.StepAcknowledge}, complaint.StatusAcknowledged, ""},
			{"acknowledge twice", complaint.Step{Kind: complaint.StepAcknowledge}, "", opstap.ECONFLICT},
			{"assign", complaint.Step{Kind: complaint.StepAssign, HandlerUserID: cf.desk2.UserID}, complaint.StatusInProgress, ""},
			{"note", complaint.Step{Kind: complaint.StepNote, Text: "Gebeld met coach; intern."}, complaint.StatusInProgress, ""},
			{"outcome without text", complaint.Step{Kind: complaint.StepOutcome, Outcome: complaint.OutcomeUpheld}, "", opstap.EINVALID},
			{"outcome", complaint.Step{Kind: complaint.StepOutcome, Outcome: complaint.OutcomePartlyUpheld, Text: "Deels gegrond: nieuwe coach."}, complaint.StatusClosed, ""},
			{"escalate", complaint.Step{Kind: complaint.StepEscalate, EscalatedTo: complaint.EscalationCommittee, Text: "Klachtencommissie Blik op Werk"}, complaint.StatusEscalated, ""},
		}
		notices := 0
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				got, err := db.HandleComplaint(ctx, cf.desk, c.ID, s.step)
				if opstap.ErrorCode(err) != s.code {
					t.Fatalf("err %v, want %q", err, s.code)
				}
				if s.code != "" {
					return
				}
				if got.Status != s.status {
					t.Fatalf("status %s, want %s", got.Status, s.status)
				}
				if s.step.Kind != complaint.StepNote {
					notices++
				}
				if n := unread(); n != notices {
					t.Fatalf("unread %d, want %d", n, notices)
				}
			})
		}
		// The candidate sees the outcome and the escalation, not the notes
		// or who handles it.
		own, err := db.FindComplaint(ctx, cf.self, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if own.OutcomeText != "Deels gegrond: nieuwe coach." || own.EscalatedTo != complaint.EscalationCommittee || len(own.Notes) != 0 || own.HandlerUserID != "" {
			t.Fatalf("candidate view %+v", own)
		}
		desk, err := db.FindComplaint(ctx, cf.desk, c.ID)
		if err != nil || len(desk.Notes) != 1 || desk.HandlerUserID != cf.desk2.UserID || desk.EscalatedOn != opstap.DateOf(cf.now) {
			t.Fatalf("desk view %+v %v", desk, err)
		}
		ns, _, err := db.Notifications(ctx, cf.self)
		if err != nil || len(ns) != notices || ns[0].Kind != store.NoticeComplaintUpdate || ns[0].Link != "/portal/complaints" {
			t.Fatalf("notifications %+v %v", ns, err)
		}
		// Neither the outbox nor the tables hold the complaint's text in clear.
		for _, c := range []struct{ table, needle, col string }{
			{"email_outbox", "Sanne", "link"}, {"email_outbox", "Sanne", "kind"},
			{"complaints", "Afspraak", "subject"}, {"complaints", "Sanne", "description"}, {"complaints", "gegrond", "outcome_text"},
			{"complaint_notes", "intern", "body"},
		} {
			if n := storetest.ClearIn(t, db, c.table, c.needle, c.col); n != 0 {
				t.Fatalf("%s.%s holds %q in clear", c.table, c.col, c.needle)
			}
		}
	})
}

func TestComplaintAccess_000art12(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cf := newComplaintFixture(t, db)
		c := cf.file(t, cf.cand, "Bejegening", opstap.DateOf(cf.now))
		tests := []struct {
			name      string
			actor     *opstap.Actor
			read      string
			handle    string
			listQueue string
		}{
			{"complaints desk", cf.desk, "", "", ""},
			{"privacy officer reads only", cf.privacy, "", opstap.EFORBIDDEN, ""},
			{"assigned coach", cf.coach, opstap.EFORBIDDEN, opstap.EFORBIDDEN, opstap.EFORBIDDEN},
			{"case manager of the commissioner", cf.manager, opstap.EFORBIDDEN, opstap.EFORBIDDEN, opstap.EFORBIDDEN},
			{"medical expert", cf.medic, opstap.EFORBIDDEN, opstap.EFORBIDDEN, opstap.EFORBIDDEN},
			{"the candidate", cf.self, "", opstap.ENOTFOUND, opstap.EFORBIDDEN},
			{"another candidate", cf.stranger, opstap.ENOTFOUND, opstap.ENOTFOUND, opstap.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.FindComplaint(ctx, tt.actor, c.ID)
				if opstap.ErrorCode(err) != tt.read {
					t.Fatalf("read: %v, want %q", err, tt.read)
				}
				if err == nil && got.Description == "" {
					t.Fatal("read without text")
				}
				_, err = db.HandleComplaint(ctx, tt.actor, c.ID, complaint.Step{Kind: complaint.StepAcknowledge})
				if opstap.ErrorCode(err) != tt.handle {
					t.Fatalf("handle: %v, want %q", err, tt.handle)
				}
				_, _, err = db.FindComplaints(ctx, tt.actor, store.ComplaintFilter{})
				if opstap.ErrorCode(err) != tt.listQueue {
					t.Fatalf("queue: %v, want %q", err, tt.listQueue)
				}
			})
		}
		// A coach cannot file for a candidate; a candidate not for another.
		for _, a := range []*opstap.Actor{cf.coach, cf.stranger} {
			if _, err := db.FileComplaint(ctx, a, cf.cand, complaint.New{Subject: "x", Description: "y"}); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
				t.Fatalf("filing by %s: %v", a.Email, err)
			}
		}
		// Every access and refusal is logged as a read or write of notes for
		// the purpose "complaint".
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: cf.cand})
		if err != nil {
			t.Fatal(err)
		}
		var allowed, denied int
		for _, e := range es {
			if e.Purpose != store.PurposeComplaint || e.Category != string(opstap.CatNotes) {
				continue
			}
			switch e.Outcome {
			case "allowed":
				allowed++
			case "denied":
				denied++
			}
		}
		if allowed < 4 || denied < 8 {
			t.Fatalf("audit: %d allowed, %d denied", allowed, denied)
		}
	})
}
