// Package flex holds the pure rules of the flex platform (issue 5; DOMAIN.md
// §5, seed 003): client employers and their locations, assignments
// (flex-opdrachten) with the displacement check, and candidates' flex
// profiles. It validates and decides; who may act is access.FlexRole;
// internal/store stores and checks what needs the database (reference
// data), and internal/matching ranks.
package flex

import (
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/matching"
)

// DefaultHourlyRateCents is the hourly rate a municipality invoices the
// employer unless it set another: EUR 11.75 [003 art 5 lid 8].
const DefaultHourlyRateCents = 1175

// MaxHoursPerWeek bounds an assignment's hours and a candidate's available
// hours: more than 60 hours a week is not flex work but a typo.
const MaxHoursPerWeek = 60

// Employer is a client employer (klant) with its locations. A national
// account is brought by the provider and linked to several municipalities
// [003 art 5 lid 6]; any other employer belongs to the municipality that
// acquired it.
type Employer struct {
	ID             string     `json:"id" validate:"max=64"`
	Name           string     `json:"name" validate:"required,max=200"`
	National       bool       `json:"national"`
	Municipality   string     `json:"municipality,omitempty" validate:"max=4"`   // CBS code; "" for a national account
	Municipalities []string   `json:"municipalities" validate:"items=400,max=4"` // CBS codes of a national account
	Locations      []Location `json:"locations" validate:"items=100"`
}

// Location is one of an employer's workplaces.
type Location struct {
	ID        string `json:"id" validate:"max=64"`
	Name      string `json:"name" validate:"required,max=200"`
	Address   string `json:"address" validate:"required,max=200"`
	Postcode4 string `json:"postcode4" validate:"required,max=4"`
}

// Validate checks a location's fields; the store checks that the postcode
// exists.
func (l *Location) Validate() error {
	l.Name, l.Address, l.Postcode4 = strings.TrimSpace(l.Name), strings.TrimSpace(l.Address), strings.TrimSpace(l.Postcode4)
	switch {
	case l.Name == "":
		return opstap.FieldError("location.name", "name is required")
	case l.Address == "":
		return opstap.FieldError("location.address", "address is required")
	case !Digits(l.Postcode4, 4):
		return opstap.FieldError("location.postcode4", "a postcode has four digits")
	}
	return nil
}

// Validate checks a new employer.
func (e *Employer) Validate() error {
	e.Name = strings.TrimSpace(e.Name)
	if e.Name == "" {
		return opstap.FieldError("name", "name is required")
	}
	for _, m := range e.Municipalities {
		if !Digits(m, 4) {
			return opstap.FieldError("municipalities", "a municipality is named by its four-digit CBS code")
		}
	}
	if e.National && len(e.Municipalities) == 0 {
		return opstap.FieldError("municipalities", "a national account is linked to at least one municipality")
	}
	for i := range e.Locations {
		if err := e.Locations[i].Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Claim fixes whose a new employer is by who registers it: registered by a
// case manager (cbs their municipality's CBS code), it belongs to that
// municipality and cannot be a national account; registered by the
// provider's staff (cbs ""), it is a national account linked to the
// municipalities it names, or belongs to the one municipality it names
// [003 art 5 lid 6]. Who may register at all is access.FlexRole.Staff.
func (e *Employer) Claim(cbs string) error {
	switch {
	case cbs != "":
		if e.National {
			return opstap.FieldError("national", "national accounts are brought by the provider")
		}
		e.Municipality, e.Municipalities = cbs, nil
	case e.National:
		e.Municipality = ""
	case !Digits(e.Municipality, 4):
		return opstap.FieldError("municipality", "a municipality is named by its four-digit CBS code")
	default:
		e.Municipalities = nil
	}
	if e.Municipalities == nil {
		e.Municipalities = []string{}
	}
	return nil
}

// Serves reports whether the employer's assignments may be acquired for the
// municipality: its own municipality, or one a national account is linked to.
func (e *Employer) Serves(cbs string) bool {
	if !e.National {
		return e.Municipality == cbs
	}
	for _, m := range e.Municipalities {
		if m == cbs {
			return true
		}
	}
	return false
}

// Digits reports whether s is n ASCII digits.
func Digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// SameMunicipality refuses to match or propose a candidate of another
// municipality than the assignment's: the municipality registers its own
// candidates and matches them [003 art 5 lid 5, 7].
func SameMunicipality(candidateCBS, assignmentCBS string) error {
	if candidateCBS == "" || candidateCBS != assignmentCBS {
		return opstap.FieldError("candidate_id", "the candidate belongs to another municipality than the assignment")
	}
	return nil
}

// DayNames are the weekdays in mask order (matching.Monday is bit 0).
var DayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// DayLabels are the English labels of DayNames, for forms.
var DayLabels = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// DaysOf returns the mask of the named days; unknown names are refused.
func DaysOf(field string, names []string) (uint8, error) {
	var m uint8
	for _, n := range names {
		i := indexOf(DayNames, n)
		if i < 0 {
			return 0, opstap.FieldError(field, "unknown day")
		}
		m |= 1 << i
	}
	return m, nil
}

// DayList returns the names of the days in a mask.
func DayList(m uint8) []string {
	out := []string{}
	for i, n := range DayNames {
		if m&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// cleanCodes trims, drops empties and repeats, keeping the order.
func cleanCodes(codes []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// Settings are a municipality's flex settings: the matching weights
// (issue 5 point 4), and, read-only, the default hourly rate invoiced to
// employers for a new assignment [003 art 5 lid 8]. That rate has one
// source, the contract terms in force (billing.Terms.HourlyRate, versioned
// by date); a municipality sets a different rate per assignment.
type Settings struct {
	Municipality    string           `json:"municipality" validate:"max=4"`
	HourlyRateCents int              `json:"hourly_rate_cents,omitempty" validate:"min=0,max=100000"` // from the contract terms; not set here
	Weights         matching.Weights `json:"weights" validate:"required"`
}

// DefaultSettings are a municipality's settings until its case manager
// changes them.
func DefaultSettings(cbs string) Settings {
	return Settings{Municipality: cbs, HourlyRateCents: DefaultHourlyRateCents, Weights: matching.DefaultWeights}
}

// Validate checks the settings.
func (s *Settings) Validate() error {
	return s.Weights.Validate()
}
