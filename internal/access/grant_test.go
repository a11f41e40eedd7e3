package access_test

import (
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
)

// TestGrantSpec_004Inzagerecht: every grant is read or write [003 bewerkers
// art 5a]; the auditor (Blik op Werk or the commissioner's) only looks in
// for quality testing, so the grant is time-boxed [004 "Inzagerecht",
// DOMAIN.md §1]; three months is Opstap's default length.
func TestGrantSpec_004Inzagerecht(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	day := 24 * time.Hour
	tests := []struct {
		name       string
		in         access.GrantSpec
		field, msg string // "" for accepted
		access     opstap.Action
	}{
		{"coach, write by default", access.GrantSpec{Role: opstap.RoleCoach}, "", "", opstap.Write},
		{"case manager reads", access.GrantSpec{Role: opstap.RoleCaseManager, Access: opstap.Read}, "", "", opstap.Read},
		{"unknown role", access.GrantSpec{Role: "owner"}, "role", "unknown role", opstap.Write},
		{"neither read nor write", access.GrantSpec{Role: opstap.RoleCoach, Access: "delete"}, "access", "access must be read or write", "delete"},
		{"expiry now", access.GrantSpec{Role: opstap.RoleCoach, ExpiresAt: at(0)}, "expires_at", "expiry must lie in the future", opstap.Write},
		{"expiry passed", access.GrantSpec{Role: opstap.RoleCoach, ExpiresAt: at(-day)}, "expires_at", "expiry must lie in the future", opstap.Write},
		{"coach until tomorrow", access.GrantSpec{Role: opstap.RoleCoach, ExpiresAt: at(day)}, "", "", opstap.Write},
		{"auditor without end", access.GrantSpec{Role: opstap.RoleAuditor, Access: opstap.Read}, "expires_at", "an auditor's grant must expire", opstap.Read},
		{"auditor for a month", access.GrantSpec{Role: opstap.RoleAuditor, Access: opstap.Read, ExpiresAt: at(30 * day)}, "", "", opstap.Read},
		{"auditor for exactly 92 days", access.GrantSpec{Role: opstap.RoleAuditor, Access: opstap.Read, ExpiresAt: at(92 * day)}, "", "", opstap.Read},
		{"auditor a second longer", access.GrantSpec{Role: opstap.RoleAuditor, Access: opstap.Read, ExpiresAt: at(92*day + time.Second)}, "expires_at", "an auditor's grant may last at most three months", opstap.Read},
		{"auditor for half a year", access.GrantSpec{Role: opstap.RoleAuditor, Access: opstap.Read, ExpiresAt: at(183 * day)}, "expires_at", "an auditor's grant may last at most three months", opstap.Read},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.in
			err := g.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
			} else if e := opstap.AsError(err); e == nil || e.Code != opstap.EINVALID || e.Field != tt.field || e.Message != tt.msg {
				t.Fatalf("got %v, want %s: %s", err, tt.field, tt.msg)
			}
			if g.Access != tt.access {
				t.Fatalf("access %q, want %q", g.Access, tt.access)
			}
		})
	}
}
