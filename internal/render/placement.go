package render

import (
	"fmt"
	"strings"

	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// PlacementPDFs renders the confirmations of a placement to the employer
// and to the candidate [003 art 5 lid 4], in Dutch. The employer's says
// who comes when and the work-relevant limitations the candidate agreed to
// share, never medical data [002 art 5.1, 003 art 7.7 lid 2]; the
// candidate's says where, whom to ask and the premium [003 art 5 lid 3].
// It is a store.ConfirmationRenderer.
func PlacementPDFs(c *store.PlacementConfirmation) (employer, candidate []byte, err error) {
	const lang = "nl"
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	p := c.Placement
	when := []Field{
		{t("First day"), p.FirstDay.Dutch()},
		{t("Last day"), p.LastDay.Dutch()},
		{t("Hours per week"), fmt.Sprint(p.HoursPerWeek)},
		{t("Days"), dayLabels(t, p.Days)},
		{t("Working times"), c.StartTime + "–" + c.EndTime},
		{t("Location"), c.LocationName + ", " + c.LocationAddress + " (" + c.Postcode4 + ")"},
	}
	base := Document{Author: c.Provider, Lang: lang, Created: c.ConfirmedAt, Subject: p.AssignmentTitle,
		Footer: t("%s · confidential · %s", c.Provider, c.Municipality)}
	emp := base
	emp.Title = t("Confirmation of placement")
	emp.Fields = append([]Field{{t("Employer"), p.EmployerName}, {t("Assignment"), p.AssignmentTitle}, {t("Candidate"), c.CandidateName}}, when...)
	emp.Fields = append(emp.Fields, Field{t("Confirmed by the municipality"), c.Municipality + " · " + c.ConfirmedAt.Format("02-01-2006")})
	emp.Heading = t("Work-relevant limitations")
	emp.Body = limitationText(t, c.Limitations)
	if employer, err = PDF(emp); err != nil {
		return nil, nil, err
	}
	cand := base
	cand.Title = t("Confirmation of your flex assignment")
	cand.Fields = append([]Field{{t("Candidate"), c.CandidateName}, {t("Employer"), p.EmployerName}, {t("Assignment"), p.AssignmentTitle},
		{t("Contact at the employer"), orDash(c.Contact)}}, when...)
	cand.Heading = t("Premium")
	cand.Body = premiumText(t, c)
	candidate, err = PDF(cand)
	return employer, candidate, err
}

// premiumText promises the premium only for hours worked at 27 or older
// (Participatiewet art 31 lid 7); travel costs are reimbursed at any age.
func premiumText(t func(string, ...any) string, c *store.PlacementConfirmation) string {
	rate := c.PremiumCents.String()
	switch c.Premium {
	case billing.PremiumWhole:
		return t("On top of your benefit you receive a net premium of EUR %s per hour worked, plus travel costs. You keep your benefit.", rate)
	case billing.PremiumPartly:
		return t("From %s, the day you turn 27, you receive on top of your benefit a net premium of EUR %s per hour worked. Hours worked before that day earn no premium (Participatiewet art 31 lid 7). Your travel costs are reimbursed for the whole assignment. You keep your benefit.",
			c.PremiumFrom.Dutch(), rate)
	case billing.PremiumNone:
		return t("The law releases no premium for hours worked under 27 (Participatiewet art 31 lid 7), so this assignment earns no premium. Your travel costs are reimbursed. You keep your benefit.")
	}
	return t("Whether you receive a premium depends on your age: hours worked under 27 earn none (Participatiewet art 31 lid 7). Your municipality tells you. Your travel costs are reimbursed. You keep your benefit.")
}

func dayLabels(t func(string, ...any) string, days []string) string {
	var out []string
	for _, d := range days {
		for i, n := range flex.DayNames {
			if n == d {
				out = append(out, t(flex.DayLabels[i]))
			}
		}
	}
	return strings.Join(out, ", ")
}

// limitationText lists the shared limitation codes by their labels.
func limitationText(t func(string, ...any) string, codes []string) string {
	if len(codes) == 0 {
		return t("None shared.")
	}
	var out []string
	for _, c := range codes {
		out = append(out, "• "+t(c))
	}
	return strings.Join(out, "\n")
}
