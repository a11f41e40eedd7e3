package flex

import (
	"time"

	"github.com/opstap/opstap"
)

// Profile is a candidate's flex profile (issue 5 point 2): what they can
// do, when and where. Its fields are in category preferences; the
// limitations come from the medical expert's shared record (category
// limitations) and are read-only here.
type Profile struct {
	CandidateID    string              `json:"candidate_id" validate:"max=64"`
	Municipality   string              `json:"municipality,omitempty" validate:"max=4"` // CBS code of the candidate's commissioner
	Occupations    []ProfileOccupation `json:"occupations" validate:"required,items=50"`
	Skills         []string            `json:"skills" validate:"required,items=200,max=200"` // ESCO codes
	HoursPerWeek   int                 `json:"hours_per_week" validate:"required,min=0,max=60"`
	Days           []string            `json:"days" validate:"required,items=7,max=3"`
	Postcode4      string              `json:"postcode4,omitempty" validate:"max=4"` // from the candidate's address, read-only
	MaxTravelKm    int                 `json:"max_travel_km" validate:"required,min=0,max=200"`
	DrivingLicence bool                `json:"driving_licence" validate:"required"`
	OwnTransport   bool                `json:"own_transport" validate:"required"`
	AvailableFrom  opstap.Date         `json:"available_from"`
	// Preferred are ISCO-08 groups of 1 to 4 digits the candidate prefers.
	Preferred []string `json:"preferred" validate:"required,items=20,max=4"`
	// Limitations are the shared limitation codes, read-only.
	Limitations []string `json:"limitations" validate:"items=100,max=50"`
	// Matchable is set by the case manager of the candidate's municipality
	// [003 art 5 lid 5].
	Matchable   bool        `json:"matchable"`
	MatchableOn opstap.Date `json:"matchable_on"`
	// Visibility to employers needs both: the candidate's consent and the
	// coach's approval (issue 5 point 4).
	ConsentAt       *time.Time `json:"consent_at,omitempty"`
	CoachApprovedAt *time.Time `json:"coach_approved_at,omitempty"`
	UpdatedAt       *time.Time `json:"updated_at,omitempty"`
}

// ProfileOccupation is an occupation with months of experience.
type ProfileOccupation struct {
	Code             string `json:"code" validate:"required,max=200"` // ESCO code
	ISCO             string `json:"isco,omitempty" validate:"max=4"`
	ExperienceMonths int    `json:"experience_months" validate:"min=0,max=1200"`
}

// Visible reports whether employers may see the profile: only when both the
// candidate consented and the coach approved.
func (p *Profile) Visible() bool { return p.ConsentAt != nil && p.CoachApprovedAt != nil }

// MaxTravelKm bounds the travel distance a profile may state.
const MaxTravelKm = 200

// Validate checks the fields a coach, case manager or the candidate edits.
func (p *Profile) Validate() error {
	p.Skills, p.Preferred = cleanCodes(p.Skills), cleanCodes(p.Preferred)
	if p.HoursPerWeek < 0 || p.HoursPerWeek > MaxHoursPerWeek {
		return opstap.FieldError("hours_per_week", "hours per week must be between 0 and 60")
	}
	m, err := DaysOf("days", p.Days)
	if err != nil {
		return err
	}
	p.Days = DayList(m)
	if p.MaxTravelKm < 0 || p.MaxTravelKm > MaxTravelKm {
		return opstap.FieldError("max_travel_km", "the travel distance must be between 0 and 200 km")
	}
	for _, g := range p.Preferred {
		if len(g) < 1 || len(g) > 4 || !Digits(g, len(g)) {
			return opstap.FieldError("preferred", "a preferred occupation group is an ISCO-08 code of 1 to 4 digits")
		}
	}
	return p.validateOccupations()
}

func (p *Profile) validateOccupations() error {
	seen := map[string]bool{}
	var out []ProfileOccupation
	for _, o := range p.Occupations {
		if o.Code == "" || seen[o.Code] {
			continue
		}
		if o.ExperienceMonths < 0 || o.ExperienceMonths > 600 {
			return opstap.FieldError("occupations", "experience must be between 0 and 600 months")
		}
		seen[o.Code] = true
		out = append(out, o)
	}
	p.Occupations = out
	if p.Occupations == nil {
		p.Occupations = []ProfileOccupation{}
	}
	return nil
}

// DaysMask is the profile's days as a matching mask.
func (p *Profile) DaysMask() uint8 {
	m, _ := DaysOf("days", p.Days)
	return m
}
