package flex

import (
	"cmp"
	"slices"
	"strings"

	"github.com/opstap/opstap"
)

// ProposalCard is what an employer needs to decide on a proposed placement:
// work-relevant experience and when and how much the candidate can work —
// and nothing more, no birth date, address or contact details
// [003 art 7.7 lid 2: only "relevant informatie ... voor zover dit
// noodzakelijk is om een plaatsing te kunnen realiseren"]. The shared
// limitations travel beside it on the placement view.
type ProposalCard struct {
	Experience    []CardExperience `json:"experience"`
	HoursPerWeek  int              `json:"hours_per_week"`
	Days          []string         `json:"days"`
	AvailableFrom opstap.Date      `json:"available_from"`
}

// CardExperience is one occupation the candidate has worked in, by name.
type CardExperience struct {
	Occupation string `json:"occupation"`
	Months     int    `json:"months"`
	// Relevant marks experience in the assignment's occupation or its
	// ISCO-08 unit group.
	Relevant bool `json:"relevant"`
}

// Card cuts a profile down to the proposal card for an assignment in
// occupation code (ESCO) of ISCO unit group isco. Only occupations with
// experience count; the relevant ones come first, then by months. label
// names an occupation code; preferences, travel, licence and the
// candidate's postcode stay out: they served the matching, not the
// employer's decision.
func (p *Profile) Card(code, isco string, label func(code string) string) ProposalCard {
	c := ProposalCard{Experience: []CardExperience{}, HoursPerWeek: p.HoursPerWeek, Days: slices.Clone(p.Days), AvailableFrom: p.AvailableFrom}
	if c.Days == nil {
		c.Days = []string{}
	}
	for _, o := range p.Occupations {
		if o.ExperienceMonths <= 0 {
			continue
		}
		relevant := o.Code == code || (isco != "" && len(o.ISCO) == 4 && o.ISCO == isco)
		c.Experience = append(c.Experience, CardExperience{Occupation: label(o.Code), Months: o.ExperienceMonths, Relevant: relevant})
	}
	slices.SortStableFunc(c.Experience, func(a, b CardExperience) int {
		if a.Relevant != b.Relevant {
			if a.Relevant {
				return -1
			}
			return 1
		}
		if d := cmp.Compare(b.Months, a.Months); d != 0 {
			return d
		}
		return strings.Compare(a.Occupation, b.Occupation)
	})
	return c
}
