package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// fixture is a provider with a coach, a second coach, a medical expert,
// and a municipality with a case manager.
type fixture struct {
	db                                   *store.DB
	coach, coach2, medic, manager, other *opstap.Actor
	municipality, municipality2          string
	registered                           int // people registered by register: each gets its own BSN
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	sys := &opstap.Actor{System: true}
	org := func(name string, kind opstap.OrgKind, cbs string) string {
		o := &account.Organisation{Name: name, Kind: kind, CBSCode: cbs}
		if err := db.CreateOrganisation(ctx, sys, o); err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	prov := org("Provider", opstap.OrgProvider, "")
	f := &fixture{db: db, municipality: org("Gemeente Almere", opstap.OrgMunicipality, "0034"), municipality2: org("Gemeente Lelystad", opstap.OrgMunicipality, "0995")}
	user := func(email string, orgID string, role opstap.Role) *opstap.Actor {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: orgID, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	f.coach = user("coach@p.nl", prov, opstap.RoleCoach)
	f.coach2 = user("coach2@p.nl", prov, opstap.RoleCoach)
	f.medic = user("arts@p.nl", prov, opstap.RoleMedicalExpert)
	f.manager = user("km@almere.nl", f.municipality, opstap.RoleCaseManager)
	f.other = user("km@lelystad.nl", f.municipality2, opstap.RoleCaseManager)
	return f
}

func (f *fixture) register(t testing.TB, ref, first, last string) *candidate.Candidate {
	t.Helper()
	born, _ := opstap.ParseDate("12-03-1988")
	c, err := f.db.RegisterCandidate(context.Background(), f.manager, candidate.Registration{
		CommissionerOrgID: f.municipality, ExternalRef: ref, CoachUserID: f.coach.UserID,
		Basic: candidate.Basic{FirstName: first, LastName: last, BirthDate: born, Email: strings.ToLower(first) + "@example.nl", Postcode: "1311AB"},
		BSN:   storetest.BSN(f.registered), BenefitKind: "participatiewet", BenefitStart: born.AddMonths(12 * 30),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.registered++
	return c
}

func TestRegisterAndFind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.register(t, "A-1", "José", "de Vries")
		if c.Postcode4 != "1311" {
			t.Fatalf("postcode4 %q", c.Postcode4)
		}
		// Nothing personal is stored in clear.
		if storetest.ClearIn(t, db, "candidate_data", "Vries", "ciphertext") != 0 {
			t.Fatal("name stored in clear")
		}
		// A second registration of the same reference is a conflict.
		born, _ := opstap.ParseDate("1980-01-01")
		_, err := db.RegisterCandidate(ctx, f.manager, candidate.Registration{CommissionerOrgID: f.municipality, ExternalRef: "A-1", Basic: candidate.Basic{FirstName: "X", LastName: "Y", BirthDate: born}})
		if opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Fatalf("duplicate: %v", err)
		}
		// Another municipality cannot register for Almere.
		_, err = db.RegisterCandidate(ctx, f.other, candidate.Registration{CommissionerOrgID: f.municipality, ExternalRef: "B-1", Basic: candidate.Basic{FirstName: "X", LastName: "Y", BirthDate: born}})
		if e := opstap.AsError(err); e == nil || e.Field != "commissioner_org_id" {
			t.Fatalf("foreign registration: %v", err)
		}

		tests := []struct {
			name   string
			actor  *opstap.Actor
			reason string
			code   string
		}{
			{"assigned coach", f.coach, "", ""},
			{"own municipality", f.manager, "", ""},
			{"other municipality", f.other, "", opstap.EFORBIDDEN},
			{"unassigned coach without reason", f.coach2, "", opstap.EFORBIDDEN},
			{"unassigned coach with reason", f.coach2, "covering for a sick colleague", ""},
			{"medical expert", f.medic, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.FindCandidate(ctx, tt.actor, c.ID, store.PurposeGuidance, tt.reason)
				if opstap.ErrorCode(err) != tt.code {
					t.Fatalf("err %v, want %q", err, tt.code)
				}
				if tt.code == "" && got.Basic.LastName != "de Vries" {
					t.Fatalf("basic %+v", got.Basic)
				}
			})
		}
		// Medical data has one way in, the medical segment (medical.go), which
		// is for medical experts only [002 art 4.3, 5.1]: the generic path refuses it.
		if err := db.WriteCategory(ctx, f.medic, c.ID, opstap.CatMedical, json.RawMessage(`{"diagnosis":"x"}`), store.PurposeGuidance); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Fatalf("medical through the generic path: %v", err)
		}
		// A case manager never reads financial data; a medical expert never writes the BSN.
		if _, err := db.ReadCategory(ctx, f.manager, c.ID, opstap.CatFinancial, store.PurposeGuidance, ""); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager reads financial: %v", err)
		}
		if err := db.WriteCategory(ctx, f.medic, c.ID, opstap.CatBSN, json.RawMessage(`{"bsn":"123456782"}`), store.PurposeGuidance); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("medical expert writes BSN: %v", err)
		}
		// IBAN is checked with mod-97.
		if err := db.WriteCategory(ctx, f.coach, c.ID, opstap.CatFinancial, json.RawMessage(`{"iban":"NL91ABNA0417164301","account_holder":"J de Vries"}`), store.PurposeGuidance); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Fatalf("bad IBAN: %v", err)
		}
		// Every read, write and denial is in the audit log, by pseudonym only.
		es, err := db.FindAuditEntries(ctx, store.AuditFilter{CandidateID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		var denied, breakGlass int
		for _, e := range es {
			if e.Outcome == "denied" {
				denied++
			}
			if e.Event == "break_glass" {
				breakGlass++
			}
			if strings.Contains(e.Detail+e.Purpose, "Vries") {
				t.Fatal("personal data in the audit log")
			}
		}
		if denied != 4 || breakGlass != 1 {
			t.Fatalf("denied %d, break glass %d in %d entries", denied, breakGlass, len(es))
		}
	})
}

func TestFindCandidatesSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.register(t, "A-1", "José", "de Vries")
		f.register(t, "A-2", "Anna", "Jansen")
		tests := []struct {
			name  string
			actor *opstap.Actor
			query string
			want  int
		}{
			{"coach sees assigned", f.coach, "", 2},
			{"other coach sees none of their own", f.coach2, "", 0},
			{"manager sees own", f.manager, "", 2},
			{"other municipality sees none", f.other, "", 0},
			{"word search, accents folded", f.manager, "jose", 1},
			{"two words", f.manager, "vries jose", 1},
			{"full name", f.manager, "Anna Jansen", 1},
			{"e-mail", f.manager, "anna@example.nl", 1},
			{"bsn", f.manager, "111.222.333", 1},
			{"no match", f.manager, "Pietersen", 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cs, err := db.FindCandidates(ctx, tt.actor, store.CandidateFilter{Query: tt.query})
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) != tt.want {
					t.Fatalf("got %d candidates, want %d", len(cs), tt.want)
				}
			})
		}
	})
}
