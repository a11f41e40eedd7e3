package flex

import (
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/matching"
)

// Status is where an assignment stands.
type Status string

// The statuses: drafted, open for matching, all places filled, closed.
const (
	StatusDraft  Status = "draft"
	StatusOpen   Status = "open"
	StatusFilled Status = "filled"
	StatusClosed Status = "closed"
)

// Statuses lists every status in order.
var Statuses = []Status{StatusDraft, StatusOpen, StatusFilled, StatusClosed}

// Assignment is a flex assignment (flex-opdracht): temporary work at a
// client employer, acquired by the municipality [003 art 5 lid 6].
type Assignment struct {
	ID                  string      `json:"id" validate:"max=64"`
	EmployerID          string      `json:"employer_id" validate:"required,max=64"`
	EmployerName        string      `json:"employer_name,omitempty" validate:"max=200"`
	LocationID          string      `json:"location_id" validate:"required,max=64"`
	Municipality        string      `json:"municipality" validate:"max=4"` // CBS code of the commissioning municipality
	Title               string      `json:"title" validate:"required,max=200"`
	Occupation          string      `json:"occupation" validate:"required,max=200"` // ESCO code
	ISCO                string      `json:"isco,omitempty" validate:"max=4"`
	RequiredSkills      []string    `json:"required_skills" validate:"items=100,max=200"`
	WishedSkills        []string    `json:"wished_skills" validate:"items=100,max=200"`
	HoursPerWeek        int         `json:"hours_per_week" validate:"required,min=1,max=60"`
	Days                []string    `json:"days" validate:"required,items=7,max=3"` // mon … sun
	StartTime           string      `json:"start_time" validate:"required,max=5"`
	EndTime             string      `json:"end_time" validate:"required,max=5"`
	Postcode4           string      `json:"postcode4" validate:"max=4"`
	Start               opstap.Date `json:"start" validate:"required"`
	PlannedEnd          opstap.Date `json:"planned_end"`
	HourlyRateCents     int         `json:"hourly_rate_cents" validate:"min=0,max=100000"` // 0 on input: the municipality's rate
	Places              int         `json:"places" validate:"min=0,max=1000"`
	Demands             []string    `json:"demands" validate:"items=50,max=50"` // matching demand codes, e.g. heavy_lifting
	NeedsDrivingLicence bool        `json:"needs_driving_licence"`
	NeedsTransport      bool        `json:"needs_transport"`
	Status              Status      `json:"status" validate:"max=10"`
	// Check is the latest displacement check, nil when none is recorded.
	Check *DisplacementCheck `json:"displacement_check,omitempty"`
}

// Validate checks an assignment's own fields and normalises them. The store
// checks what needs the database: the employer, location and municipality,
// the postcode and the occupation and skill codes.
func (a *Assignment) Validate() error {
	a.Title, a.Occupation = strings.TrimSpace(a.Title), strings.TrimSpace(a.Occupation)
	a.RequiredSkills, a.WishedSkills = cleanCodes(a.RequiredSkills), cleanCodes(a.WishedSkills)
	a.Demands = cleanCodes(a.Demands)
	if a.Places == 0 {
		a.Places = 1
	}
	checks := []func() error{a.validateWhat, a.validateWhen, a.validateTerms}
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

func (a *Assignment) validateWhat() error {
	switch {
	case a.EmployerID == "":
		return opstap.FieldError("employer_id", "choose the employer")
	case a.LocationID == "":
		return opstap.FieldError("location_id", "choose the location")
	case a.Title == "":
		return opstap.FieldError("title", "title is required")
	case a.Occupation == "":
		return opstap.FieldError("occupation", "choose the occupation")
	case !Digits(a.Postcode4, 4):
		return opstap.FieldError("postcode4", "a postcode has four digits")
	}
	for _, d := range a.Demands {
		if _, ok := matching.ParseDemand(d); !ok {
			return opstap.FieldError("demands", "unknown demand")
		}
	}
	return nil
}

// validateWhen: 1 to 60 hours on at least one day, a working time, and an
// end not before the start.
func (a *Assignment) validateWhen() error {
	if a.HoursPerWeek < 1 || a.HoursPerWeek > MaxHoursPerWeek {
		return opstap.FieldError("hours_per_week", "hours per week must be between 1 and 60")
	}
	m, err := DaysOf("days", a.Days)
	if err != nil {
		return err
	}
	if m == 0 {
		return opstap.FieldError("days", "choose at least one day")
	}
	a.Days = DayList(m)
	from, err1 := time.Parse("15:04", a.StartTime)
	to, err2 := time.Parse("15:04", a.EndTime)
	switch {
	case err1 != nil:
		return opstap.FieldError("start_time", "a time of day is written as 08:30")
	case err2 != nil:
		return opstap.FieldError("end_time", "a time of day is written as 08:30")
	case !to.After(from):
		return opstap.FieldError("end_time", "the end time must be after the start time")
	case a.Start.IsZero():
		return opstap.FieldError("start", "start date is required")
	case !a.PlannedEnd.IsZero() && a.PlannedEnd.Before(a.Start):
		return opstap.FieldError("planned_end", "the planned end cannot be before the start")
	}
	return nil
}

func (a *Assignment) validateTerms() error {
	switch {
	case a.HourlyRateCents < 0 || a.HourlyRateCents > 100000:
		return opstap.FieldError("hourly_rate_cents", "the hourly rate must be between 0.01 and 1000 euros")
	case a.Places < 1 || a.Places > 100:
		return opstap.FieldError("places", "the number of places must be between 1 and 100")
	}
	return nil
}

// DaysMask is the assignment's days as a matching mask.
func (a *Assignment) DaysMask() uint8 {
	m, _ := DaysOf("days", a.Days)
	return m
}

// DemandMask is the assignment's demands as a matching mask.
func (a *Assignment) DemandMask() matching.Demand {
	var m matching.Demand
	for _, c := range a.Demands {
		d, _ := matching.ParseDemand(c)
		m |= d
	}
	return m
}

// DisplacementCheck is the municipality's verdringingstoets: the work does
// not replace a regular job (DOMAIN.md §5). It is recorded by a case
// manager of the assignment's municipality, with date, who, outcome and
// motivation, before the assignment opens.
type DisplacementCheck struct {
	ID         string      `json:"id,omitempty" validate:"max=64"`
	CheckedOn  opstap.Date `json:"checked_on" validate:"required"`
	CheckedBy  string      `json:"checked_by,omitempty" validate:"max=64"` // user ID
	Positive   bool        `json:"positive" validate:"required"`           // the work does not displace a regular job
	Motivation string      `json:"motivation" validate:"required,max=2000"`
	RecordedAt time.Time   `json:"recorded_at"`
}

// MinMotivation is the least length of a check's motivation: a check is
// only worth its name when it says why.
const MinMotivation = 20

// Validate checks a displacement check against today.
func (c *DisplacementCheck) Validate(today opstap.Date) error {
	c.Motivation = strings.TrimSpace(c.Motivation)
	switch {
	case c.CheckedOn.IsZero():
		return opstap.FieldError("checked_on", "date is required")
	case c.CheckedOn.After(today):
		return opstap.FieldError("checked_on", "the check cannot be dated in the future")
	case len([]rune(c.Motivation)) < MinMotivation:
		return opstap.FieldError("motivation", "state the motivation of the check in at least 20 characters")
	}
	return nil
}

// Transition checks a change of status. Opening and filling need a
// positive displacement check (DOMAIN.md §5: an assignment without it
// cannot be filled); a closed assignment stays closed.
func Transition(from, to Status, check *DisplacementCheck) error {
	if !validStatus(to) {
		return opstap.FieldError("status", "unknown status")
	}
	if from == to {
		return nil
	}
	if from == StatusClosed {
		return opstap.Errorf(opstap.ECONFLICT, "a closed assignment cannot be reopened")
	}
	if to == StatusDraft {
		return opstap.Errorf(opstap.ECONFLICT, "an assignment cannot go back to draft")
	}
	if (to == StatusOpen || to == StatusFilled) && (check == nil || !check.Positive) {
		return opstap.Errorf(opstap.ECONFLICT, "the assignment needs a positive displacement check by the municipality before it can be opened or filled")
	}
	return nil
}

func validStatus(s Status) bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}
