package store_test

import (
	"context"
	"testing"

	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestNotificationsSayWhatHappened (issue 12 item 13): when the candidate
// approves a report or comments on it, the coach who wrote it reads in the
// app what happened, with a link to the reports; the e-mail that goes out
// stays the kind's neutral line.
func TestNotificationsSayWhatHappened(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newReportFixture(t, db)
		r := f.submitted(t)
		if err := db.CommentReport(ctx, f.self, r.ID, 1, "Graag de stage erbij."); err != nil {
			t.Fatal(err)
		}
		r2, err := db.UpdateReport(ctx, f.coach, r.ID, actionPlan("Plan van aanpak, met stage"))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SubmitReport(ctx, f.coach, r2.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.ApproveReport(ctx, f.self, r.ID, 2); err != nil {
			t.Fatal(err)
		}
		ns, unread, err := db.Notifications(ctx, f.coach)
		if err != nil {
			t.Fatal(err)
		}
		if unread != 2 || len(ns) != 2 {
			t.Fatalf("coach has %d notifications (%d unread), want the comment and the approval", len(ns), unread)
		}
		want := []struct{ event, text string }{
			{store.HappenedReportApproved, "A report was approved by the candidate."},
			{store.HappenedReportCommented, "The candidate commented on a report instead of approving it."},
		}
		for i, w := range want {
			n := ns[i]
			if n.Kind != store.NoticeReportDecided || n.Event != w.event || n.Text != w.text || n.Link != "/candidates/"+f.c.ID+"/reports" {
				t.Errorf("notification %d = %+v, want event %s with %q", i, n, w.event, w.text)
			}
		}
		var subjects int
		if err := db.SQL.QueryRow(`SELECT COUNT(*) FROM email_outbox WHERE to_address = 'coach@p.nl' AND kind = 'report_decided'`).Scan(&subjects); err != nil {
			t.Fatal(err)
		}
		if subjects != 2 {
			t.Errorf("%d neutral e-mails to the coach, want 2", subjects)
		}
	})
}

// TestNoticeEventTexts: every event has its line, in Dutch too.
func TestNoticeEventTexts(t *testing.T) {
	for _, e := range store.NoticeEvents {
		text, ok := store.EventText(e)
		if !ok || text == "" {
			t.Errorf("event %s has no line", e)
			continue
		}
		if !i18n.Has(text) {
			t.Errorf("event %s: no Dutch for %q", e, text)
		}
	}
	if _, ok := store.EventText("made_up"); ok {
		t.Error("an unknown event has a line")
	}
}
