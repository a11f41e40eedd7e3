package flex

import (
	"slices"
	"testing"

	"github.com/opstap/opstap"
)

func date(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func validAssignment() Assignment {
	return Assignment{EmployerID: "e", LocationID: "l", Title: "Bakery help", Occupation: "8160.2",
		HoursPerWeek: 24, Days: []string{"mon", "tue", "wed"}, StartTime: "08:00", EndTime: "16:00",
		Postcode4: "1315", Start: date("2025-03-01"), PlannedEnd: date("2025-05-31")}
}

// fieldOf returns the field an error names, "" for nil.
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	if e := opstap.AsError(err); e != nil {
		if e.Field == "" {
			return e.Code
		}
		return e.Field
	}
	return "?"
}

func TestAssignmentValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Assignment)
		field string
	}{
		{"valid", func(*Assignment) {}, ""},
		{"zero hours refused [issue 5 bad input]", func(a *Assignment) { a.HoursPerWeek = 0 }, "hours_per_week"},
		{"61 hours refused [issue 5 bad input]", func(a *Assignment) { a.HoursPerWeek = 61 }, "hours_per_week"},
		{"60 hours allowed", func(a *Assignment) { a.HoursPerWeek = 60 }, ""},
		{"end before start refused", func(a *Assignment) { a.PlannedEnd = date("2025-02-28") }, "planned_end"},
		{"end on start allowed", func(a *Assignment) { a.PlannedEnd = a.Start }, ""},
		{"open end allowed", func(a *Assignment) { a.PlannedEnd = opstap.Date{} }, ""},
		{"no days refused", func(a *Assignment) { a.Days = nil }, "days"},
		{"unknown day refused", func(a *Assignment) { a.Days = []string{"mon", "xyz"} }, "days"},
		{"end time before start time refused", func(a *Assignment) { a.EndTime = "07:00" }, "end_time"},
		{"bad time refused", func(a *Assignment) { a.StartTime = "8 uur" }, "start_time"},
		{"postcode of three digits refused", func(a *Assignment) { a.Postcode4 = "131" }, "postcode4"},
		{"no title refused", func(a *Assignment) { a.Title = " " }, "title"},
		{"unknown demand refused", func(a *Assignment) { a.Demands = []string{"juggling"} }, "demands"},
		{"negative rate refused", func(a *Assignment) { a.HourlyRateCents = -1 }, "hourly_rate_cents"},
		{"too many places refused", func(a *Assignment) { a.Places = 101 }, "places"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssignment()
			tt.edit(&a)
			if got := fieldOf(a.Validate()); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestAssignmentValidateNormalises(t *testing.T) {
	a := validAssignment()
	a.Days = []string{"wed", "mon", "mon"}
	a.RequiredSkills = []string{" x ", "x", ""}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(a.Days) != 2 || a.Days[0] != "mon" || a.Places != 1 || len(a.RequiredSkills) != 1 || a.DaysMask() != 0b101 {
		t.Fatalf("not normalised: %+v", a)
	}
}

func TestTransitionNeedsPositiveDisplacementCheck(t *testing.T) {
	pos := &DisplacementCheck{Positive: true}
	neg := &DisplacementCheck{Positive: false}
	tests := []struct {
		name     string
		from, to Status
		check    *DisplacementCheck
		code     string
	}{
		{"open without check refused [DOMAIN §5 verdringingstoets]", StatusDraft, StatusOpen, nil, opstap.ECONFLICT},
		{"open with negative check refused", StatusDraft, StatusOpen, neg, opstap.ECONFLICT},
		{"fill without check refused", StatusOpen, StatusFilled, nil, opstap.ECONFLICT},
		{"open with positive check", StatusDraft, StatusOpen, pos, ""},
		{"fill with positive check", StatusOpen, StatusFilled, pos, ""},
		{"close without check", StatusDraft, StatusClosed, nil, ""},
		{"closed stays closed", StatusClosed, StatusOpen, pos, opstap.ECONFLICT},
		{"no way back to draft", StatusOpen, StatusDraft, pos, opstap.ECONFLICT},
		{"unknown status", StatusDraft, "gone", pos, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldOf(Transition(tt.from, tt.to, tt.check)); got != tt.code {
				t.Fatalf("got %q, want %q", got, tt.code)
			}
		})
	}
}

func TestDisplacementCheckValidate(t *testing.T) {
	today := date("2025-03-01")
	long := "Extra work next to the regular staff, no vacancy."
	tests := []struct {
		name  string
		c     DisplacementCheck
		field string
	}{
		{"valid", DisplacementCheck{CheckedOn: today, Positive: true, Motivation: long}, ""},
		{"no date", DisplacementCheck{Motivation: long}, "checked_on"},
		{"in the future", DisplacementCheck{CheckedOn: today.AddDays(1), Motivation: long}, "checked_on"},
		{"motivation too short", DisplacementCheck{CheckedOn: today, Motivation: "fine"}, "motivation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldOf(tt.c.Validate(today)); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestSameMunicipality(t *testing.T) {
	if err := SameMunicipality("0034", "0034"); err != nil {
		t.Fatal(err)
	}
	// [003 art 5 lid 5, 7]: the municipality matches its own candidates.
	if fieldOf(SameMunicipality("0995", "0034")) != "candidate_id" || SameMunicipality("", "") == nil {
		t.Fatal("a candidate of another municipality must be refused")
	}
}

func TestProfileValidate(t *testing.T) {
	tests := []struct {
		name  string
		p     Profile
		field string
	}{
		{"valid", Profile{HoursPerWeek: 20, Days: []string{"mon"}, MaxTravelKm: 15, Preferred: []string{"52", "8160"}}, ""},
		{"61 hours", Profile{HoursPerWeek: 61}, "hours_per_week"},
		{"negative hours", Profile{HoursPerWeek: -1}, "hours_per_week"},
		{"travel too far", Profile{MaxTravelKm: 201}, "max_travel_km"},
		{"bad preference", Profile{Preferred: []string{"52x"}}, "preferred"},
		{"experience out of range", Profile{Occupations: []ProfileOccupation{{Code: "x", ExperienceMonths: 601}}}, "occupations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldOf(tt.p.Validate()); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestVisibleNeedsBoth(t *testing.T) {
	now := opstap.Date{}.Time()
	p := Profile{ConsentAt: &now}
	if p.Visible() {
		t.Fatal("consent alone must not make the profile visible")
	}
	p.CoachApprovedAt = &now
	if !p.Visible() {
		t.Fatal("consent and approval make it visible")
	}
}

// TestEmployerClaim_003art5lid6: the municipality acquires its own
// employers, the provider brings national accounts and links them to
// municipalities [003 art 5 lid 6]. Registered by a case manager (cbs set)
// an employer is that municipality's whatever was posted; by the
// provider's staff (cbs "") it is national or names its municipality.
func TestEmployerClaim_003art5lid6(t *testing.T) {
	for _, c := range []struct {
		name      string
		cbs       string
		in        Employer
		field     string
		wantMun   string
		wantLinks []string
	}{
		{"case manager: their municipality's", "0034", Employer{Municipality: "0363", Municipalities: []string{"0363"}}, "", "0034", []string{}},
		{"case manager: no national account", "0034", Employer{National: true, Municipalities: []string{"0034"}}, "national", "", nil},
		{"provider: national account", "", Employer{National: true, Municipality: "0034", Municipalities: []string{"0034", "0363"}}, "", "", []string{"0034", "0363"}},
		{"provider: a local employer names its municipality", "", Employer{Municipality: "0363", Municipalities: []string{"0034"}}, "", "0363", []string{}},
		{"provider: a local employer without a CBS code", "", Employer{Municipality: "Almere"}, "municipality", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.in
			err := e.Claim(c.cbs)
			if fieldOf(err) != c.field {
				t.Fatalf("got %v, want field %q", err, c.field)
			}
			if c.field == "" && (e.Municipality != c.wantMun || !slices.Equal(e.Municipalities, c.wantLinks) || e.Municipalities == nil) {
				t.Errorf("got %q %v, want %q %v", e.Municipality, e.Municipalities, c.wantMun, c.wantLinks)
			}
		})
	}
}

func TestEmployerServes(t *testing.T) {
	local := Employer{Name: "Bakkerij", Municipality: "0034"}
	national := Employer{Name: "Keten", National: true, Municipalities: []string{"0034", "0995"}}
	if !local.Serves("0034") || local.Serves("0995") || !national.Serves("0995") || national.Serves("0363") {
		t.Fatal("serves")
	}
	bad := Employer{Name: "Keten", National: true}
	if fieldOf(bad.Validate()) != "municipalities" {
		t.Fatal("a national account needs municipalities [003 art 5 lid 6]")
	}
}
