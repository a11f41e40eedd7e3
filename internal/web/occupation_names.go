package web

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/refdata"
)

// The flex forms name occupations and skills by their Dutch labels, never
// by ESCO or ISCO codes (issue 12 item 7): what is typed is resolved by
// store.OccupationsNamed, which offers the closest names when a name is not
// exact, so the forms work without JavaScript; static/occupations.js fills
// a datalist as one types.

// occupationRow is one line of the profile form's work experience.
type occupationRow struct{ I, N int }

// occupationRows are the work-experience lines the profile form shows: the
// ones filled in and two empty ones, at most the profile's limit.
func occupationRows(f url.Values) []occupationRow {
	n := 0
	for n < maxOccupationRows && f.Has("occupation_"+strconv.Itoa(n)) {
		n++
	}
	var rows []occupationRow
	for i := range min(n+2, maxOccupationRows) {
		rows = append(rows, occupationRow{I: i, N: i + 1})
	}
	return rows
}

// maxOccupationRows is flex.Profile's limit of occupations (items=50).
const maxOccupationRows = 50

// lines splits a text area into its non-empty lines.
func lines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// profileNames fills a profile form's occupation, skill and preference
// fields with names.
func (h *Handler) profileNames(ctx context.Context, p *flex.Profile, v url.Values) error {
	codes := append([]string{}, p.Skills...)
	for _, o := range p.Occupations {
		codes = append(codes, o.Code)
	}
	labels, err := h.DB.OccupationLabels(ctx, codes)
	if err != nil {
		return err
	}
	groups, err := h.DB.GroupLabels(ctx, p.Preferred)
	if err != nil {
		return err
	}
	for i, o := range p.Occupations {
		v.Set("occupation_"+strconv.Itoa(i), labels[o.Code])
		v.Set("months_"+strconv.Itoa(i), strconv.Itoa(o.ExperienceMonths))
	}
	v.Set("skills", joinLines(p.Skills, labels))
	v.Set("preferred", joinLines(p.Preferred, groups))
	return nil
}

func joinLines(codes []string, names map[string]string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = names[c]
	}
	return strings.Join(out, "\n")
}

// readProfileNames resolves the names of a profile form into p's codes;
// every field at fault is reported at once.
func (h *Handler) readProfileNames(ctx context.Context, f url.Values, p *flex.Profile) error {
	var errs []error
	for i := range maxOccupationRows {
		field := "occupation_" + strconv.Itoa(i)
		if !f.Has(field) {
			break
		}
		name, months := strings.TrimSpace(f.Get(field)), strings.TrimSpace(f.Get("months_"+strconv.Itoa(i)))
		if name == "" {
			if months != "" {
				errs = append(errs, opstap.FieldError(field, "name the occupation of these months"))
			}
			continue
		}
		o := flex.ProfileOccupation{}
		if months != "" {
			n, err := strconv.Atoi(months)
			if err != nil || n < 0 {
				errs = append(errs, opstap.FieldError("months_"+strconv.Itoa(i), "months of experience must be a whole number"))
			}
			o.ExperienceMonths = n
		}
		os, err := h.DB.OccupationsNamed(ctx, field, []string{name})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		o.Code = os[0].Code
		p.Occupations = append(p.Occupations, o)
	}
	var err error
	p.Skills, err = h.codesNamed(ctx, "skills", f.Get("skills"))
	errs = append(errs, err)
	p.Preferred = []string{}
	for _, l := range lines(f.Get("preferred")) {
		if refdata.ValidISCO(l) {
			p.Preferred = append(p.Preferred, l) // a broad group, shown by its code
			continue
		}
		os, err := h.DB.OccupationsNamed(ctx, "preferred", []string{l})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Preferred = append(p.Preferred, os[0].ISCO)
	}
	return errors.Join(errs...)
}

// codesNamed resolves a text area of names, one per line, to ESCO codes.
func (h *Handler) codesNamed(ctx context.Context, field, text string) ([]string, error) {
	os, err := h.DB.OccupationsNamed(ctx, field, lines(text))
	if err != nil {
		return []string{}, err
	}
	codes := make([]string, len(os))
	for i, o := range os {
		codes[i] = o.Code
	}
	return codes, nil
}

// assignmentNames fills an assignment form's occupation and skill fields
// with names.
func (h *Handler) assignmentNames(ctx context.Context, a *flex.Assignment, v url.Values) error {
	codes := append(append([]string{a.Occupation}, a.RequiredSkills...), a.WishedSkills...)
	labels, err := h.DB.OccupationLabels(ctx, codes)
	if err != nil {
		return err
	}
	v.Set("occupation", labels[a.Occupation])
	v.Set("required_skills", joinLines(a.RequiredSkills, labels))
	v.Set("wished_skills", joinLines(a.WishedSkills, labels))
	return nil
}

// readAssignmentNames resolves the names of an assignment form into a's
// codes.
func (h *Handler) readAssignmentNames(ctx context.Context, f url.Values, a *flex.Assignment) error {
	var errs []error
	if name := strings.TrimSpace(f.Get("occupation")); name != "" {
		os, err := h.DB.OccupationsNamed(ctx, "occupation", []string{name})
		if err == nil {
			a.Occupation = os[0].Code
		}
		errs = append(errs, err)
	}
	var err error
	a.RequiredSkills, err = h.codesNamed(ctx, "required_skills", f.Get("required_skills"))
	errs = append(errs, err)
	a.WishedSkills, err = h.codesNamed(ctx, "wished_skills", f.Get("wished_skills"))
	return errors.Join(append(errs, err)...)
}
