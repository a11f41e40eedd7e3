package privacy_test

import (
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/privacy"
)

// TestBreachClock_AVGart33: the deadline is 72 elapsed hours after the
// discovery (AVG art 33; 003 bewerkers art 5 "maatregelen bij
// datalekken"), so across a change of summer time its clock reading in
// Amsterdam moves by an hour; a notification after it is late.
func TestBreachClock_AVGart33(t *testing.T) {
	ams := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, opstap.Amsterdam)
	}
	tests := []struct {
		name       string
		discovered time.Time
		notified   *time.Time
		now        time.Time
		want       privacy.BreachClock
	}{
		{"winter, a minute left", ams(2026, 1, 12, 10, 0), nil, ams(2026, 1, 15, 9, 59),
			privacy.BreachClock{Deadline: ams(2026, 1, 15, 10, 0), Left: time.Minute}},
		{"winter, at the deadline", ams(2026, 1, 12, 10, 0), nil, ams(2026, 1, 15, 10, 0),
			privacy.BreachClock{Deadline: ams(2026, 1, 15, 10, 0)}},
		{"into summer time, an hour late", ams(2026, 3, 27, 10, 0), nil, ams(2026, 3, 30, 12, 0),
			privacy.BreachClock{Deadline: ams(2026, 3, 30, 11, 0), Left: -time.Hour, Overdue: true}},
		{"into winter time, notified in time", ams(2026, 10, 23, 12, 0), ptr(ams(2026, 10, 26, 11, 0)), ams(2026, 11, 1, 12, 0),
			privacy.BreachClock{Deadline: ams(2026, 10, 26, 11, 0), Left: -(6*24 + 1) * time.Hour, Notified: true}},
		{"notified late", ams(2026, 10, 23, 12, 0), ptr(ams(2026, 10, 26, 11, 1)), ams(2026, 11, 1, 12, 0),
			privacy.BreachClock{Deadline: ams(2026, 10, 26, 11, 0), Left: -(6*24 + 1) * time.Hour, Notified: true, Late: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := privacy.ClockAt(tt.discovered, tt.notified, tt.now)
			if !got.Deadline.Equal(tt.want.Deadline) || got.Left != tt.want.Left || got.Overdue != tt.want.Overdue ||
				got.Notified != tt.want.Notified || got.Late != tt.want.Late {
				t.Fatalf("got %+v (deadline %s), want %+v", got, got.Deadline.In(opstap.Amsterdam), tt.want)
			}
		})
	}
}

func ptr(t time.Time) *time.Time { return &t }

// TestBreachInput: what the register needs of a breach.
func TestBreachInput(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, opstap.Amsterdam)
	tests := []struct {
		name  string
		in    privacy.BreachInput
		field string
	}{
		{"complete", privacy.BreachInput{DiscoveredAt: now, Description: "Laptop gestolen", Categories: []opstap.Category{opstap.CatBasic}}, ""},
		{"no moment", privacy.BreachInput{Description: "x"}, "discovered_at"},
		{"future", privacy.BreachInput{DiscoveredAt: now.Add(time.Hour), Description: "x"}, "discovered_at"},
		{"no description", privacy.BreachInput{DiscoveredAt: now, Description: " "}, "description"},
		{"unknown status", privacy.BreachInput{DiscoveredAt: now, Description: "x", Status: "solved"}, "status"},
		{"notified before discovery", privacy.BreachInput{DiscoveredAt: now, Description: "x", APNotifiedAt: ptr(now.Add(-time.Hour))}, "ap_notified_at"},
		{"notified in the future", privacy.BreachInput{DiscoveredAt: now.Add(-time.Hour), Description: "x", APNotifiedAt: ptr(now.Add(time.Hour))}, "ap_notified_at"},
		{"told without how", privacy.BreachInput{DiscoveredAt: now, Description: "x", SubjectsToldOn: opstap.DateOf(now)}, "subjects_told_how"},
		{"unknown category", privacy.BreachInput{DiscoveredAt: now, Description: "x", Categories: []opstap.Category{"shoe_size"}}, "categories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f := field(tt.in.Validate(now)); f != tt.field {
				t.Fatalf("field %q, want %q", f, tt.field)
			}
		})
	}
	in := privacy.BreachInput{DiscoveredAt: now, Description: "x"}
	if err := in.Validate(now); err != nil || in.Status != privacy.BreachSuspected {
		t.Fatalf("default status %q (%v)", in.Status, err)
	}
}
