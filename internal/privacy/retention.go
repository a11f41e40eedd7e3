package privacy

import (
	"strings"

	"github.com/opstap/opstap"
)

// Retention periods (DOMAIN.md §4): personal data traceable to the
// candidate goes two years after the assignment ends [001 "Termijn bewaren
// gegevens", 004]; a candidate who never had a trajectory, two years after
// registration; data under a statutory duty (invoices, premium payments)
// at the end of the fiscal year plus ten years, as the provider's own
// regulation says [001 "Termijn bewaren gegevens"]; tax law asks at least
// seven (AWR art 52), so no rule may go below that. Each rule can be
// changed per commissioner; the periods themselves are rows of the store
// (retention_rules), the rules about them are here.

// Erasure rules name why a candidate's data goes.
const (
	RulePersonal             = "personal"               // 2 years after the last trajectory ended [001, 004]
	RulePersonalNoTrajectory = "personal_no_trajectory" // 2 years after registration, no trajectory
	RuleStatutory            = "statutory"              // end of fiscal year + 10 years [001]; at least 7 (AWR art 52)
	RuleOnRequest            = "on_request"             // the candidate's request (AVG art 17)
)

// StatutoryNote is the source of the default statutory period, an English
// text the pages translate.
const StatutoryNote = "10 years (the provider's privacy regulation, seed 001); AWR art. 52: at least 7"

// StatutoryMinYears is the shortest statutory period tax law allows
// (AWR art 52).
const StatutoryMinYears = 7

// RetentionCategories lists the rule categories in a stable order.
var RetentionCategories = []string{RulePersonal, RulePersonalNoTrajectory, RuleStatutory}

// retentionEvents are the events a period starts at, per category.
var retentionEvents = map[string]string{
	RulePersonal:             "trajectory_end",
	RulePersonalNoTrajectory: "registration",
	RuleStatutory:            "fiscal_year_end",
}

// RetentionEvent returns the event a category's period starts at, and
// whether the category is known.
func RetentionEvent(category string) (string, bool) {
	e, ok := retentionEvents[category]
	return e, ok
}

// RetentionRuleChange sets a commissioner's (or the default) period for a
// category.
type RetentionRuleChange struct {
	CommissionerOrgID string `json:"commissioner_org_id" validate:"max=64"`
	Category          string `json:"category" validate:"required,max=50"`
	Years             int    `json:"years" validate:"required,min=1,max=30"`
	Note              string `json:"note" validate:"max=500"`
}

// Validate checks a change: a known category, 1 to 30 years, and never
// below the statutory minimum for the statutory category.
func (c *RetentionRuleChange) Validate() error {
	if _, ok := retentionEvents[c.Category]; !ok {
		return opstap.FieldError("category", "unknown retention category")
	}
	if c.Years < 1 || c.Years > 30 {
		return opstap.FieldError("years", "the period must be between 1 and 30 years")
	}
	if c.Category == RuleStatutory && c.Years < StatutoryMinYears {
		return opstap.FieldError("years", "a statutory duty lasts at least %d years (AWR art. 52)", StatutoryMinYears)
	}
	c.Note = strings.TrimSpace(c.Note)
	if len(c.Note) > 500 {
		return opstap.FieldError("note", "the text is too long")
	}
	return nil
}

// RetentionFacts are what the personal-data rules need of one candidate.
type RetentionFacts struct {
	Registered   opstap.Date // the registration date
	LastEnd      opstap.Date // the last trajectory's end (zero without one)
	Trajectories int         // trajectories in all
	Open         int         // trajectories not ended
}

// PersonalRule returns the rule whose period runs for the candidate and
// the date it runs from: two years after the last trajectory ended, or
// after registration when there never was one. While a trajectory is open
// no period runs (runs is false): the assignment has not ended.
func PersonalRule(f RetentionFacts) (rule string, from opstap.Date, runs bool) {
	switch {
	case f.Open > 0:
		return "", opstap.Date{}, false
	case f.Trajectories == 0:
		return RulePersonalNoTrajectory, f.Registered, true
	}
	return RulePersonal, f.LastEnd, true
}

// RetentionDue returns the due date of a period of years from the event
// date (calendar years; 29 February goes to 28 February), and whether the
// data is due on today: on or after the due date. A period of 0 years is
// no rule and never due.
func RetentionDue(event opstap.Date, years int, today opstap.Date) (due opstap.Date, isDue bool) {
	due = event.AddMonths(12 * years)
	return due, years > 0 && !today.Before(due)
}
