// Package candidate holds the candidate's data model and its rules
// (DOMAIN.md §3): personal data split by category, each category stored
// encrypted under the candidate's own key, and the checks on BSN, IBAN,
// postcode and dates. It knows nothing of storage or HTTP.
package candidate

import (
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/opstap/opstap"
)

// Candidate is the clear-text part of a candidate record: only
// identifiers, relations and the coarse, non-identifying fields kept for
// matching and statistics (docs/privacy-data.md). Everything else lives
// in the encrypted categories.
type Candidate struct {
	ID                string `json:"id"`
	CommissionerOrgID string `json:"commissioner_org_id,omitempty"`
	CoachUserID       string `json:"coach_user_id,omitempty"`
	UserID            string `json:"user_id,omitempty"`
	ExternalRef       string `json:"external_ref,omitempty"`
	// Number is the client number (cliëntnummer) staff use instead of the
	// internal id on pages and forms; given at registration.
	Number       int64       `json:"client_number,omitempty"`
	Postcode4    string      `json:"postcode4,omitempty"`
	RegisteredOn opstap.Date `json:"registered_on,omitzero"`
	CreatedAt    time.Time   `json:"created_at,omitzero"`
	Restricted   bool        `json:"restricted,omitempty"`
	// Screened are the categories screened off on the candidate's request
	// [001]; only the candidate reads them.
	Screened []opstap.Category `json:"screened,omitempty"`
	// Basic is filled only when the caller may read basic data.
	Basic *Basic `json:"basic,omitempty"`
	// ForPlacement marks the cut-down record an employer sees (ForPlacement).
	ForPlacement bool `json:"for_placement,omitempty"`
}

// PlacementView is what the employer of a proposed or live placement sees of
// a candidate: who it is and how to reach them about the work
// [003 art 7.7 lid 2]. Not the birth date, the address, the commissioner's
// client number, the coach, the portal account or the registration.
func (c *Candidate) PlacementView() *Candidate {
	out := &Candidate{ID: c.ID, ForPlacement: true}
	if c.Basic != nil {
		b := c.Basic.PlacementView()
		out.Basic = &b
	}
	return out
}

// PlacementView is the part of the basic data a placement needs: the name
// and the contact for the work (phone, e-mail) [003 art 7.7 lid 2].
func (b Basic) PlacementView() Basic {
	return Basic{FirstName: b.FirstName, LastName: b.LastName, Phone: b.Phone, Email: b.Email}
}

// DisplayName is "First Last", or the id when basic data is not readable.
func (c *Candidate) DisplayName() string {
	if c.Basic == nil {
		return c.ID
	}
	return strings.TrimSpace(c.Basic.FirstName + " " + c.Basic.LastName)
}

// Basic is the basic category: name, address, contact, birth date, gender,
// nationality [001, 002 art 4].
type Basic struct {
	FirstName   string      `json:"first_name" validate:"required,max=200"`
	LastName    string      `json:"last_name" validate:"required,max=200"`
	BirthDate   opstap.Date `json:"birth_date,omitzero" validate:"required"`
	Gender      string      `json:"gender,omitempty" validate:"max=50"`
	Nationality string      `json:"nationality,omitempty" validate:"max=100"`
	Street      string      `json:"street,omitempty" validate:"max=200"`
	HouseNumber string      `json:"house_number,omitempty" validate:"max=20"`
	Postcode    string      `json:"postcode,omitempty" validate:"max=10"`
	City        string      `json:"city,omitempty" validate:"max=200"`
	Phone       string      `json:"phone,omitempty" validate:"max=50"`
	Email       string      `json:"email,omitempty" validate:"max=254"`
}

// unusedLetters are the letter pairs PostNL never gives a postcode (they
// recall the SA, SD and SS of 1940-45); the digits start at 1000, which
// postcodeRE states. Whether the four digits exist is for the reference
// postcodes (the store checks them when loaded).
var unusedLetters = map[string]bool{"SA": true, "SD": true, "SS": true}

var (
	postcodeRE = regexp.MustCompile(`^[1-9][0-9]{3} ?[A-Z]{2}$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9 ()-]{8,20}$`)
)

// Validate checks and normalises basic data; today rules out future birth
// dates. Every field at fault is reported (errors.Join), one error each, so
// that a form shows all its mistakes at once.
func (b *Basic) Validate(today opstap.Date) error {
	b.FirstName, b.LastName = strings.TrimSpace(b.FirstName), strings.TrimSpace(b.LastName)
	b.Postcode = strings.ToUpper(strings.TrimSpace(b.Postcode))
	b.Email = strings.ToLower(strings.TrimSpace(b.Email))
	var errs []error
	check := func(bad bool, field, msg string) {
		if bad {
			errs = append(errs, opstap.FieldError(field, msg))
		}
	}
	check(b.FirstName == "", "first_name", "first name is required")
	check(b.LastName == "", "last_name", "last name is required")
	switch {
	case b.BirthDate.IsZero():
		check(true, "birth_date", "birth date is required")
	case !b.BirthDate.Before(today):
		check(true, "birth_date", "birth date must lie in the past")
	case b.BirthDate.Before(today.AddMonths(-12 * 120)):
		check(true, "birth_date", "birth date is more than 120 years ago")
	}
	switch {
	case b.Postcode != "" && !postcodeRE.MatchString(b.Postcode):
		check(true, "postcode", "postcode must look like 1234 AB")
	case b.Postcode != "" && unusedLetters[b.Postcode[len(b.Postcode)-2:]]:
		check(true, "postcode", "no Dutch postcode ends in SA, SD or SS")
	}
	check(b.Phone != "" && !phoneRE.MatchString(b.Phone), "phone", "not a valid phone number")
	check(b.Gender != "" && b.Gender != "f" && b.Gender != "m" && b.Gender != "x", "gender", "gender must be f, m or x")
	if b.Email != "" {
		a, err := mail.ParseAddress(b.Email)
		check(err != nil || a.Address != b.Email, "email", "not a valid e-mail address")
	}
	if len(errs) == 0 && len(b.Postcode) == 6 {
		b.Postcode = b.Postcode[:4] + " " + b.Postcode[4:]
	}
	return errors.Join(errs...)
}

// Postcode4 returns the four-digit area of the postcode, kept in clear.
func (b *Basic) Postcode4() string {
	if len(b.Postcode) >= 4 {
		return b.Postcode[:4]
	}
	return ""
}

// BSN is the citizen service number category [002 art 4.4]: kept only
// where needed, e.g. to communicate with UWV.
type BSN struct {
	Number string `json:"bsn" validate:"required,max=20"`
}

// ValidBSN applies the eleven-test (elfproef): nine digits d1..d9 with
// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11, and not all zero.
func ValidBSN(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * int(r-'0')
	}
	return sum%11 == 0 && s != "000000000"
}

// Validate checks the BSN.
func (b *BSN) Validate() error {
	b.Number = strings.ReplaceAll(strings.TrimSpace(b.Number), ".", "")
	if len(b.Number) == 8 {
		b.Number = "0" + b.Number // BSNs of eight digits are written without the leading zero
	}
	if !ValidBSN(b.Number) {
		return opstap.FieldError("bsn", "BSN fails the eleven-test")
	}
	return nil
}

// Benefit is the benefit category: kind and start date.
type Benefit struct {
	Kind  string      `json:"kind" validate:"required,max=50"` // e.g. participatiewet, ww, wia, wajong
	Start opstap.Date `json:"start"`
}

// BenefitKinds are the benefits candidates come with.
var BenefitKinds = []string{"participatiewet", "ww", "wia", "wajong", "zw", "anw", "ioaw", "none"}

// Validate checks the benefit, naming its fields as the benefit category's
// JSON does (a registration renames them, see Registration.Validate).
func (b *Benefit) Validate(today opstap.Date) error {
	ok := false
	for _, k := range BenefitKinds {
		ok = ok || b.Kind == k
	}
	switch {
	case !ok:
		return opstap.FieldError("kind", "unknown benefit kind")
	case b.Kind != "none" && b.Start.IsZero():
		return opstap.FieldError("start", "benefit start date is required")
	case b.Start.After(today):
		return opstap.FieldError("start", "benefit start must not lie in the future")
	}
	return nil
}

// Financial is the financial category: the IBAN premiums are paid to.
type Financial struct {
	IBAN          string `json:"iban" validate:"required,max=50"`
	AccountHolder string `json:"account_holder" validate:"required,max=200"`
}

// NormaliseIBAN removes spaces and upper-cases.
func NormaliseIBAN(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// ValidIBAN checks the ISO 13616 mod-97 check digits (and the Dutch length
// of 18 for NL accounts).
func ValidIBAN(s string) bool {
	s = NormaliseIBAN(s)
	if len(s) < 15 || len(s) > 34 || (strings.HasPrefix(s, "NL") && len(s) != 18) {
		return false
	}
	r := s[4:] + s[:4]
	rem := 0
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// Validate checks the financial data.
func (f *Financial) Validate() error {
	f.IBAN = NormaliseIBAN(f.IBAN)
	f.AccountHolder = strings.TrimSpace(f.AccountHolder)
	if !ValidIBAN(f.IBAN) {
		return opstap.FieldError("iban", "IBAN check digits are wrong")
	}
	if f.AccountHolder == "" {
		return opstap.FieldError("account_holder", "account holder is required")
	}
	return nil
}

// Education is the education and work-experience category.
type Education struct {
	Level          string `json:"level" validate:"required,max=50"` // e.g. vmbo, mbo-2, hbo
	Diplomas       string `json:"diplomas" validate:"required,max=2000"`
	WorkExperience string `json:"work_experience" validate:"required,max=2000"`
}

// Preferences is the preferences category: what work the candidate wants.
type Preferences struct {
	HoursPerWeek int    `json:"hours_per_week" validate:"required,min=0,max=60"`
	Occupations  string `json:"occupations" validate:"required,max=2000"`
	MaxTravelKm  int    `json:"max_travel_km" validate:"required,min=0,max=300"`
	Wishes       string `json:"wishes" validate:"required,max=2000"`
}

// Validate checks the preferences.
func (p *Preferences) Validate() error {
	switch {
	case p.HoursPerWeek < 0 || p.HoursPerWeek > 60:
		return opstap.FieldError("hours_per_week", "hours per week must be between 0 and 60")
	case p.MaxTravelKm < 0 || p.MaxTravelKm > 300:
		return opstap.FieldError("max_travel_km", "travel distance must be between 0 and 300 km")
	}
	return nil
}
