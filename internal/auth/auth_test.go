package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash format %q", h)
	}
	tests := []struct {
		name, hash, pw string
		want           bool
		wantErr        bool
	}{
		{"right", h, "correct horse battery", true, false},
		{"wrong", h, "correct horse batterY", false, false},
		{"empty hash", "", "x", false, false},
		{"bad format", "$bcrypt$x", "x", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckPassword(tt.hash, tt.pw)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Fatalf("got %v, %v", got, err)
			}
		})
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{"short": false, "twelve chars": true, strings.Repeat("x", 257): false} {
		if err := ValidatePassword(pw); (err == nil) != ok {
			t.Errorf("ValidatePassword(%q) = %v", pw, err)
		}
	}
}

func TestTOTP(t *testing.T) {
	k, err := NewTOTP("coach@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 10, 0, time.UTC)
	code := TOTPCode(k.Secret(), now)
	tests := []struct {
		name     string
		code     string
		at       time.Time
		lastStep int64
		want     bool
	}{
		{"current", code, now, 0, true},
		{"with spaces", code[:3] + " " + code[3:], now, 0, true},
		{"previous step drift", code, now.Add(30 * time.Second), 0, true},
		{"too old", code, now.Add(90 * time.Second), 0, false},
		{"replayed", code, now, TOTPStep(now), false},
		{"wrong", "000000", now, 0, code == "000000"},
		{"garbage", "abc", now, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step, ok := CheckTOTP(k.Secret(), tt.code, tt.at, tt.lastStep)
			if ok != tt.want {
				t.Fatalf("ok = %v, want %v", ok, tt.want)
			}
			if ok && step != TOTPStep(now) {
				t.Fatalf("step = %d, want %d", step, TOTPStep(now))
			}
		})
	}
}

func TestToken(t *testing.T) {
	p, h := NewToken(TokenPrefix)
	if !strings.HasPrefix(p, TokenPrefix) || HashToken(p) != h || strings.Contains(h, p) {
		t.Fatalf("token %q hash %q", p, h)
	}
	if p2, _ := NewToken(TokenPrefix); p2 == p {
		t.Fatal("tokens repeat")
	}
}

func BenchmarkPasswordCheck(b *testing.B) {
	h, _ := HashPassword("correct horse battery")
	for b.Loop() {
		_, _ = CheckPassword(h, "correct horse battery")
	}
}

// TestNeedsSecondFactor: whoever can read dossiers passes a second factor,
// and so does everyone who enrolled; a blocked or expired grant does not
// count.
func TestNeedsSecondFactor(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	grant := func(r opstap.Role) opstap.Grant { return opstap.Grant{Role: r} }
	tests := []struct {
		name     string
		grants   []opstap.Grant
		enrolled bool
		want     bool
	}{
		{"coach", []opstap.Grant{grant(opstap.RoleCoach)}, false, true},
		{"medical expert", []opstap.Grant{grant(opstap.RoleMedicalExpert)}, false, true},
		{"case manager", []opstap.Grant{grant(opstap.RoleCaseManager)}, false, true},
		{"auditor until later", []opstap.Grant{{Role: opstap.RoleAuditor, ExpiresAt: &future}}, false, true},
		{"finance", []opstap.Grant{grant(opstap.RoleFinance)}, false, false},
		{"admin", []opstap.Grant{grant(opstap.RoleAdmin)}, false, false},
		{"candidate", []opstap.Grant{grant(opstap.RoleCandidate)}, false, false},
		{"employer", []opstap.Grant{grant(opstap.RoleEmployer)}, false, false},
		{"candidate who enrolled", []opstap.Grant{grant(opstap.RoleCandidate)}, true, true},
		{"coach whose grant expired", []opstap.Grant{{Role: opstap.RoleCoach, ExpiresAt: &past}}, false, false},
		{"coach whose grant is blocked, and finance", []opstap.Grant{{Role: opstap.RoleCoach, BlockedAt: &past}, grant(opstap.RoleFinance)}, false, false},
		{"no grants", nil, false, false},
	}
	for _, tt := range tests {
		if got := NeedsSecondFactor(tt.grants, tt.enrolled, now); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
