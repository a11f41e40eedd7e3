package candidate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
)

func TestValidBSN(t *testing.T) {
	tests := map[string]bool{
		"111222333": true,  // 9+8+7+12+10+8+9+6-3 = 66 = 6·11
		"123456782": true,  // the classic example
		"123456789": false, // check digit wrong
		"000000000": false,
		"12345678":  false,
		"12345678a": false,
	}
	for in, want := range tests {
		if got := ValidBSN(in); got != want {
			t.Errorf("ValidBSN(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	tests := map[string]bool{
		"NL91ABNA0417164300":     true,
		"nl91 abna 0417 1643 00": true,
		"NL91ABNA0417164301":     false,
		"NL91ABNA041716430":      false,
		"DE89370400440532013000": true,
		"GB82WEST12345698765432": true,
		"NL91ABNA04171643O0":     false,
	}
	for in, want := range tests {
		if got := ValidIBAN(in); got != want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestBasicValidate(t *testing.T) {
	today, _ := opstap.ParseDate("2026-11-24")
	born, _ := opstap.ParseDate("1990-05-01")
	tests := []struct {
		name  string
		b     Basic
		field string
	}{
		{"ok", Basic{FirstName: "Anna", LastName: "de Vries", BirthDate: born, Postcode: "1311ab", Email: "Anna@Example.nl"}, ""},
		{"no first name", Basic{LastName: "X", BirthDate: born}, "first_name"},
		{"future birth", Basic{FirstName: "A", LastName: "B", BirthDate: today.AddDays(1)}, "birth_date"},
		{"bad postcode", Basic{FirstName: "A", LastName: "B", BirthDate: born, Postcode: "0123 AB"}, "postcode"},
		{"postcode below 1000", Basic{FirstName: "A", LastName: "B", BirthDate: born, Postcode: "0999 AB"}, "postcode"},
		{"postcode letters SA [issue 11 item 5]", Basic{FirstName: "A", LastName: "B", BirthDate: born, Postcode: "1234 SA"}, "postcode"},
		{"postcode letters SD", Basic{FirstName: "A", LastName: "B", BirthDate: born, Postcode: "1234sd"}, "postcode"},
		{"postcode letters SS", Basic{FirstName: "A", LastName: "B", BirthDate: born, Postcode: "1234 ss"}, "postcode"},
		{"bad email", Basic{FirstName: "A", LastName: "B", BirthDate: born, Email: "nope"}, "email"},
		{"bad gender", Basic{FirstName: "A", LastName: "B", BirthDate: born, Gender: "q"}, "gender"},
		// Every mistake at once, so that a form shows them all (issue 12 item 5).
		{"five mistakes", Basic{FirstName: "A", Postcode: "12 AB", Phone: "abc", Email: "x@", Gender: "q"},
			"last_name,birth_date,postcode,phone,gender,email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.b.Validate(today)
			if got := fieldsOf(err); got != tt.field {
				t.Fatalf("field %q, want %q (%v)", got, tt.field, err)
			}
			if tt.field == "" && (tt.b.Postcode != "1311 AB" || tt.b.Email != "anna@example.nl" || tt.b.Postcode4() != "1311") {
				t.Fatalf("not normalised: %+v", tt.b)
			}
		})
	}
}

// TestPlacementView_003art7_7: the employer's record holds the name and
// the contact for the work and nothing else [003 art 7.7 lid 2].
func TestPlacementView_003art7_7(t *testing.T) {
	born, _ := opstap.ParseDate("1985-06-01")
	full := &Candidate{ID: "c-1", CommissionerOrgID: "org-almere", CoachUserID: "u-coach", UserID: "u-self", ExternalRef: "ALM-7",
		Postcode4: "1315", RegisteredOn: born, CreatedAt: time.Now(), Restricted: true,
		Basic: &Basic{FirstName: "Jaap", LastName: "Journée", BirthDate: born, Gender: "m", Nationality: "NL", Street: "Stadhuisplein",
			HouseNumber: "12", Postcode: "1315 HR", City: "Almere", Phone: "06 12345678", Email: "jaap@example.nl"}}
	got := full.PlacementView()
	want := &Candidate{ID: "c-1", ForPlacement: true, Basic: &Basic{FirstName: "Jaap", LastName: "Journée", Phone: "06 12345678", Email: "jaap@example.nl"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("placement view %+v %+v", got, got.Basic)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"1985", "ALM-7", "1315", "u-coach", "org-almere", "Stadhuisplein", "registered_on", "created_at"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("JSON %s holds %q", b, leak)
		}
	}
	if (&Candidate{ID: "c-2"}).PlacementView().Basic != nil {
		t.Error("a record without basic data gained some")
	}
}

// fieldsOf lists the fields of the errors err joins, in order.
func fieldsOf(err error) string {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var fs []string
	for _, e := range errs {
		if oe := opstap.AsError(e); oe != nil {
			fs = append(fs, oe.Field)
		}
	}
	return strings.Join(fs, ",")
}

func TestGuidedBy(t *testing.T) {
	coach := &opstap.Actor{UserID: "c", OrgKind: opstap.OrgProvider, Grants: []opstap.Grant{{Role: opstap.RoleCoach, Access: opstap.Write}}}
	reader := &opstap.Actor{UserID: "r", OrgKind: opstap.OrgProvider, Grants: []opstap.Grant{{Role: opstap.RoleCoach, Access: opstap.Read}}}
	manager := &opstap.Actor{UserID: "m", OrgKind: opstap.OrgMunicipality, Grants: []opstap.Grant{{Role: opstap.RoleCaseManager, Access: opstap.Write}}}
	tests := []struct {
		name  string
		a     *opstap.Actor
		named string
		want  string
	}{
		{"a coach who registers guides", coach, "", "c"},
		{"a coach named in the registration stays", coach, "other", "other"},
		{"a coach with read access only does not", reader, "", ""},
		{"a case manager does not", manager, "", ""},
		{"the system does not", &opstap.Actor{System: true}, "", ""},
	}
	for _, tt := range tests {
		r := Registration{CoachUserID: tt.named}
		r.GuidedBy(tt.a)
		if r.CoachUserID != tt.want {
			t.Errorf("%s: coach %q, want %q", tt.name, r.CoachUserID, tt.want)
		}
	}
}

// TestBenefitFieldNames: a benefit's errors name the fields the client sent:
// kind and start in the benefit category, benefit_kind and benefit_start in
// a registration, which carries the benefit under those names.
func TestBenefitFieldNames(t *testing.T) {
	today := opstap.DateOf(time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC))
	tests := []struct {
		name       string
		kind       string
		start      opstap.Date
		cat, inReg string
	}{
		{"unknown kind", "pension", opstap.DateOf(time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)), "kind", "benefit_kind"},
		{"no start", "ww", opstap.Date{}, "start", "benefit_start"},
		{"start in the future", "ww", opstap.DateOf(time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)), "start", "benefit_start"},
	}
	field := func(err error) string {
		if e := opstap.AsError(err); e != nil {
			return e.Field
		}
		return ""
	}
	for _, tt := range tests {
		b := Benefit{Kind: tt.kind, Start: tt.start}
		if got := field(b.Validate(today)); got != tt.cat {
			t.Errorf("%s: the category names %q, want %q", tt.name, got, tt.cat)
		}
		r := Registration{CommissionerOrgID: "m", ExternalRef: "R-1", Basic: Basic{FirstName: "Sanne", LastName: "de Boer", BirthDate: opstap.DateOf(time.Date(1985, time.June, 1, 0, 0, 0, 0, time.UTC))},
			BenefitKind: tt.kind, BenefitStart: tt.start}
		if got := field(r.Validate(today)); got != tt.inReg {
			t.Errorf("%s: the registration names %q, want %q (%v)", tt.name, got, tt.inReg, r.Validate(today))
		}
	}
}

// TestBulkCommissioner: a bulk file is for the commissioner named, else the
// uploader's own organisation, through the form and the API alike; the
// store then refuses an organisation that is not the uploader's own
// commissioner (a commissioner registers its own candidates).
func TestBulkCommissioner(t *testing.T) {
	municipality := &opstap.Actor{UserID: "u-km", OrgID: "org-almere", OrgKind: opstap.OrgMunicipality}
	provider := &opstap.Actor{UserID: "u-coach", OrgID: "org-provider", OrgKind: opstap.OrgProvider}
	tests := []struct {
		name  string
		a     *opstap.Actor
		named string
		want  string
	}{
		{"a commissioner naming none: its own", municipality, "", "org-almere"},
		{"a commissioner naming another: that one, for the store to refuse", municipality, "org-uwv", "org-uwv"},
		{"the provider naming a commissioner", provider, "org-almere", "org-almere"},
		{"the provider naming none: its own, no commissioner", provider, "", "org-provider"},
		{"no actor", nil, "", ""},
	}
	for _, tt := range tests {
		if got := BulkCommissioner(tt.a, tt.named); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestOwnCommissioner: a commissioner's user registers for its own
// organisation when the registration names none, through the form and the
// API alike; one naming another keeps it (the store refuses it); the
// provider names the commissioner itself.
func TestOwnCommissioner(t *testing.T) {
	municipality := &opstap.Actor{UserID: "u-km", OrgID: "org-almere", OrgKind: opstap.OrgMunicipality}
	uwv := &opstap.Actor{UserID: "u-uwv", OrgID: "org-uwv", OrgKind: opstap.OrgUWV}
	provider := &opstap.Actor{UserID: "u-coach", OrgID: "org-provider", OrgKind: opstap.OrgProvider}
	tests := []struct {
		name  string
		a     *opstap.Actor
		named string
		want  string
	}{
		{"a municipality naming none", municipality, "", "org-almere"},
		{"UWV naming none", uwv, "", "org-uwv"},
		{"a municipality naming another", municipality, "org-uwv", "org-uwv"},
		{"the provider naming none", provider, "", ""},
		{"the provider naming a commissioner", provider, "org-almere", "org-almere"},
		{"the system", &opstap.Actor{System: true, OrgKind: opstap.OrgMunicipality, OrgID: "org-almere"}, "", ""},
	}
	for _, tt := range tests {
		r := Registration{CommissionerOrgID: tt.named}
		if r.OwnCommissioner(tt.a); r.CommissionerOrgID != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, r.CommissionerOrgID, tt.want)
		}
	}
}

func TestParseClientNumber(t *testing.T) {
	for _, tc := range []struct {
		in string
		n  int64
		ok bool
	}{{"1042", 1042, true}, {" K-7 ", 7, true}, {"k12", 12, true}, {"0", 0, false}, {"12a", 0, false}, {"", 0, false},
		{"1234567890123", 0, false}, {"K-", 0, false}, {"+5", 0, false}} {
		n, ok := ParseClientNumber(tc.in)
		if n != tc.n || ok != tc.ok {
			t.Errorf("ParseClientNumber(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.n, tc.ok)
		}
	}
}
