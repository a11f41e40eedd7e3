package privacy_test

import (
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/privacy"
)

func date(t testing.TB, s string) opstap.Date {
	t.Helper()
	d, err := opstap.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRightsDeadlines_002art7: one month with the month-end rule, and the
// one extension of two further months [AVG art 12(3); DOMAIN.md §4 "AVG
// deadline: one month"].
func TestRightsDeadlines_002art7(t *testing.T) {
	tests := []struct {
		name, received, due, extended string
	}{
		{"31 January, common year", "2026-01-31", "2026-02-28", "2026-04-30"},
		{"31 January, leap year", "2028-01-31", "2028-02-29", "2028-04-30"},
		{"mid-month", "2026-03-15", "2026-04-15", "2026-06-15"},
		{"over the year end", "2026-11-30", "2026-12-30", "2027-02-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := date(t, tt.received)
			if got := privacy.RightsDue(r); got != date(t, tt.due) {
				t.Errorf("due %s, want %s", got, tt.due)
			}
			if got := privacy.RightsExtendedDue(r); got != date(t, tt.extended) {
				t.Errorf("extended %s, want %s", got, tt.extended)
			}
		})
	}
}

// TestRightsOverdue: an open request is overdue the day after its
// deadline; a closed one never is.
func TestRightsOverdue(t *testing.T) {
	tests := []struct {
		status     privacy.RightsStatus
		due, today string
		want       bool
	}{
		{privacy.RightsReceived, "2026-02-28", "2026-02-28", false},
		{privacy.RightsReceived, "2026-02-28", "2026-03-01", true},
		{privacy.RightsInProgress, "2026-02-28", "2026-03-01", true},
		{privacy.RightsGranted, "2026-02-28", "2026-06-01", false},
		{privacy.RightsRefused, "2026-02-28", "2026-06-01", false},
		{privacy.RightsWithdrawn, "2026-02-28", "2026-06-01", false},
	}
	for _, tt := range tests {
		if got := privacy.RightsOverdue(tt.status, date(t, tt.due), date(t, tt.today)); got != tt.want {
			t.Errorf("%s due %s on %s: overdue %v, want %v", tt.status, tt.due, tt.today, got, tt.want)
		}
	}
}

// TestRightsAnswer_001: a (partial) refusal is answered in writing with
// reasons [001 "ontvangt de cliënt hierover schriftelijk bericht waarin
// staat uitgelegd waarom"]; a grant needs none.
func TestRightsAnswer_001(t *testing.T) {
	tests := []struct {
		name  string
		in    privacy.RightsAnswer
		field string
	}{
		{"granted without text", privacy.RightsAnswer{Status: privacy.RightsGranted}, ""},
		{"refused with reasons", privacy.RightsAnswer{Status: privacy.RightsRefused, Text: "Wettelijke bewaarplicht."}, ""},
		{"refused without reasons", privacy.RightsAnswer{Status: privacy.RightsRefused, Text: "  "}, "text"},
		{"partly without reasons", privacy.RightsAnswer{Status: privacy.RightsPartlyGranted}, "text"},
		{"withdrawn is no answer", privacy.RightsAnswer{Status: privacy.RightsWithdrawn}, "status"},
		{"in progress is no answer", privacy.RightsAnswer{Status: privacy.RightsInProgress}, "status"},
		{"too long", privacy.RightsAnswer{Status: privacy.RightsRefused, Text: strings.Repeat("x", 10001)}, "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f := field(tt.in.Validate()); f != tt.field {
				t.Fatalf("field %q, want %q", f, tt.field)
			}
		})
	}
}

// TestNewRightsRequest: the six rights of 002 art 7 and 001, a received
// date not in the future, today when none is given.
func TestNewRightsRequest(t *testing.T) {
	today := date(t, "2026-12-06")
	tests := []struct {
		name     string
		in       privacy.NewRightsRequest
		field    string
		received string
	}{
		{"access, no date", privacy.NewRightsRequest{Kind: privacy.RightAccess}, "", "2026-12-06"},
		{"screening, by letter", privacy.NewRightsRequest{Kind: privacy.RightScreening, ReceivedOn: date(t, "2026-11-20")}, "", "2026-11-20"},
		{"unknown kind", privacy.NewRightsRequest{Kind: "portability"}, "kind", ""},
		{"future", privacy.NewRightsRequest{Kind: privacy.RightErasure, ReceivedOn: date(t, "2026-12-07")}, "received_on", ""},
		{"too long", privacy.NewRightsRequest{Kind: privacy.RightObjection, Description: strings.Repeat("é", 10001)}, "description", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate(today)
			if f := field(err); f != tt.field {
				t.Fatalf("field %q, want %q (%v)", f, tt.field, err)
			}
			if tt.received != "" && tt.in.ReceivedOn != date(t, tt.received) {
				t.Fatalf("received %s, want %s", tt.in.ReceivedOn, tt.received)
			}
		})
	}
}

// TestRightsExtension_AVGart12: one extension, with a reason, of an open
// request only.
func TestRightsExtension_AVGart12(t *testing.T) {
	tests := []struct {
		status   privacy.RightsStatus
		extended bool
		code     string
	}{
		{privacy.RightsReceived, false, ""},
		{privacy.RightsInProgress, false, ""},
		{privacy.RightsInProgress, true, opstap.ECONFLICT},
		{privacy.RightsGranted, false, opstap.ECONFLICT},
		{privacy.RightsWithdrawn, false, opstap.ECONFLICT},
	}
	for _, tt := range tests {
		if got := opstap.ErrorCode(privacy.CheckExtendable(tt.status, tt.extended)); got != tt.code {
			t.Errorf("%s extended=%v: %q, want %q", tt.status, tt.extended, got, tt.code)
		}
	}
	if _, err := privacy.CheckExtensionReason(" \n"); field(err) != "reason" {
		t.Errorf("an empty reason: %v", err)
	}
	if r, err := privacy.CheckExtensionReason(" Veel stukken. "); err != nil || r != "Veel stukken." {
		t.Errorf("a reason: %q %v", r, err)
	}
}

// TestRightsCarried: which granted requests change what is kept, so the
// system carries them out [002 art 7.2–7.4; 001 afscherming].
func TestRightsCarried(t *testing.T) {
	tests := []struct {
		kind   privacy.RightsKind
		status privacy.RightsStatus
		want   bool
	}{
		{privacy.RightErasure, privacy.RightsGranted, true},
		{privacy.RightErasure, privacy.RightsPartlyGranted, false},
		{privacy.RightRestriction, privacy.RightsGranted, true},
		{privacy.RightRestriction, privacy.RightsPartlyGranted, false},
		{privacy.RightRectification, privacy.RightsPartlyGranted, true},
		{privacy.RightScreening, privacy.RightsGranted, true},
		{privacy.RightScreening, privacy.RightsRefused, false},
		{privacy.RightAccess, privacy.RightsGranted, false},
		{privacy.RightObjection, privacy.RightsGranted, false},
	}
	for _, tt := range tests {
		if got := privacy.Carried(tt.kind, tt.status); got != tt.want {
			t.Errorf("%s %s: %v, want %v", tt.kind, tt.status, got, tt.want)
		}
	}
}
