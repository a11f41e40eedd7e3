package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
)

// refusal checks err against the field and message wanted ("" for none).
func refusal(t *testing.T, err error, field, msg string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	if e := opstap.AsError(err); e == nil || e.Code != opstap.EINVALID || e.Field != field || e.Message != msg {
		t.Fatalf("got %v, want %s: %s", err, field, msg)
	}
}

// TestOrganisationValidate: the provider, commissioners (a municipality,
// UWV, an employer for its own ex-employee) and client employers
// (DOMAIN.md §1); a municipality is known by its CBS code, Almere of seed
// 003 by 0034.
func TestOrganisationValidate(t *testing.T) {
	tests := []struct {
		name       string
		in         account.Organisation
		field, msg string
		wantName   string
	}{
		{"Almere with its CBS code", account.Organisation{Name: " Gemeente Almere ", Kind: opstap.OrgMunicipality, CBSCode: "0034"}, "", "", "Gemeente Almere"},
		{"the provider", account.Organisation{Name: "R3integratie.nu BV", Kind: opstap.OrgProvider}, "", "", "R3integratie.nu BV"},
		{"a client employer without a code", account.Organisation{Name: "Bakkerij", Kind: opstap.OrgClientEmployer}, "", "", "Bakkerij"},
		{"UWV", account.Organisation{Name: "UWV", Kind: opstap.OrgUWV}, "", "", "UWV"},
		{"blank name", account.Organisation{Name: "  ", Kind: opstap.OrgProvider}, "name", "name is required", ""},
		{"unknown kind", account.Organisation{Name: "X", Kind: "school"}, "kind", "unknown organisation kind", "X"},
		{"municipality without code", account.Organisation{Name: "Gemeente Almere", Kind: opstap.OrgMunicipality}, "cbs_code", "a municipality needs its four-digit CBS code", "Gemeente Almere"},
		{"municipality with the leading zero dropped", account.Organisation{Name: "Gemeente Almere", Kind: opstap.OrgMunicipality, CBSCode: "34"}, "cbs_code", "a municipality needs its four-digit CBS code", "Gemeente Almere"},
		{"municipality with a GM prefix", account.Organisation{Name: "Gemeente Almere", Kind: opstap.OrgMunicipality, CBSCode: "GM0034"}, "cbs_code", "a municipality needs its four-digit CBS code", "Gemeente Almere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.in
			refusal(t, o.Validate(), tt.field, tt.msg)
			if o.Name != tt.wantName {
				t.Fatalf("name %q, want %q", o.Name, tt.wantName)
			}
		})
	}
}

func TestValidCBS(t *testing.T) {
	for s, want := range map[string]bool{"0034": true, "0363": true, "034": false, "00340": false, "00a4": false, "": false, "٠٠٣٤": false} {
		if got := account.ValidCBS(s); got != want {
			t.Errorf("ValidCBS(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestNewUserValidate: an account is one person of one organisation, in
// Dutch unless English is asked, with grants checked by the access rules
// (an auditor's time-boxed [004 "Inzagerecht"]).
func TestNewUserValidate(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	soon := now.Add(30 * 24 * time.Hour)
	ok := func(f func(*account.NewUser)) account.NewUser {
		n := account.NewUser{OrgID: "org-1", Email: " Coach@Opstap.Example ", Name: " Sanne de Vries ", Grants: []access.GrantSpec{{Role: opstap.RoleCoach}}}
		if f != nil {
			f(&n)
		}
		return n
	}
	tests := []struct {
		name       string
		in         account.NewUser
		field, msg string
	}{
		{"a coach", ok(nil), "", ""},
		{"in English", ok(func(n *account.NewUser) { n.Language = "en" }), "", ""},
		{"with a password of 12 characters", ok(func(n *account.NewUser) { n.Password = "twaalf tekens" }), "", ""},
		{"an auditor for a month", ok(func(n *account.NewUser) {
			n.Grants = []access.GrantSpec{{Role: opstap.RoleAuditor, Access: opstap.Read, ExpiresAt: &soon}}
		}), "", ""},
		{"no e-mail", ok(func(n *account.NewUser) { n.Email = " " }), "email", "not a valid e-mail address"},
		{"an e-mail with a display name", ok(func(n *account.NewUser) { n.Email = "Sanne <sanne@opstap.example>" }), "email", "not a valid e-mail address"},
		{"no name", ok(func(n *account.NewUser) { n.Name = "\t" }), "name", "name is required"},
		{"no organisation", ok(func(n *account.NewUser) { n.OrgID = "" }), "org_id", "organisation is required"},
		{"German", ok(func(n *account.NewUser) { n.Language = "de" }), "language", "language must be nl or en"},
		{"a short password", ok(func(n *account.NewUser) { n.Password = "kort" }), "password", "password must be at least %d characters"},
		{"an auditor for good", ok(func(n *account.NewUser) {
			n.Grants = []access.GrantSpec{{Role: opstap.RoleCoach}, {Role: opstap.RoleAuditor, Access: opstap.Read}}
		}), "expires_at", "an auditor's grant must expire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.in
			err := n.Validate(now)
			refusal(t, err, tt.field, tt.msg)
			if err == nil && (n.Email != "coach@opstap.example" || n.Name != "Sanne de Vries" || (n.Language != "nl" && n.Language != "en")) {
				t.Fatalf("not normalised: %q %q %q", n.Email, n.Name, n.Language)
			}
			if err == nil && tt.in.Language == "" && n.Language != "nl" {
				t.Fatalf("language %q, want nl", n.Language)
			}
		})
	}
}

func TestNormEmail(t *testing.T) {
	if got := account.NormEmail("  Anna.Jansen@Example.NL\n"); got != "anna.jansen@example.nl" {
		t.Fatalf("got %q", got)
	}
	if got := account.NormEmail(strings.Repeat(" ", 3)); got != "" {
		t.Fatalf("got %q", got)
	}
}
