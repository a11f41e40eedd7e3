// Package history reads the past that a municipality brings when it moves
// to Opstap (issue 10 item 3; docs/history-import.md): registrations with
// their benefit start, changes of the matchable status, placements with
// their days and hours per week, approved hours per month, and trajectory
// ends with their reason. Candidates and placements appear only by the
// municipality's own pseudonymous reference, so the file holds no personal
// data. The records become the same facts the figures count
// (internal/figures), so the figures are complete from the first day.
//
// The package is pure: it parses and checks a file or an API body as a
// whole and turns it into facts; the store writes them in one transaction.
package history

import (
	"cmp"
	"encoding/csv"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/csvfile"
	"github.com/opstap/opstap/internal/figures"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/trajectory"
)

// Kind is what a record tells.
type Kind string

// The kinds of record.
const (
	KindRegistration Kind = "registration" // a registration (aanmelding) with the benefit start
	KindMatchable    Kind = "matchable"    // the matchable status set or cleared on a day
	KindPlacement    Kind = "placement"    // a realised placement
	KindHours        Kind = "hours"        // approved hours of a placement in a month
	KindEnd          Kind = "end"          // a trajectory ended with a reason
)

// Kinds lists the kinds in the order the documentation gives them.
var Kinds = []Kind{KindRegistration, KindMatchable, KindPlacement, KindHours, KindEnd}

// dutchKinds are the Dutch names a file may use for the kinds.
var dutchKinds = map[string]Kind{"aanmelding": KindRegistration, "matchbaar": KindMatchable, "plaatsing": KindPlacement,
	"uren": KindHours, "einde": KindEnd}

// MaxRecords bounds one import, like the bulk registration.
const MaxRecords = 50000

// MaxFile is the largest import file in bytes.
const MaxFile = 32 << 20

// maxMonthMinutes is a whole month of 31 days around the clock: more
// approved time in one month is a mistake.
const maxMonthMinutes = 31 * 24 * 60

// Record is one line of the history: a CSV row or an element of the API's
// "records". Which fields a record uses depends on its kind
// (docs/history-import.md); the others must be empty.
type Record struct {
	// Line is the record's row in the file (the header is row 1), or its
	// number in the API's list counted from 1: where the report points.
	Line         int          `json:"-"`
	Kind         Kind         `json:"kind"`
	Candidate    string       `json:"candidate,omitempty" validate:"max=64"`
	Date         opstap.Date  `json:"date,omitzero"`
	BenefitStart opstap.Date  `json:"benefit_start,omitzero"`
	Matchable    *bool        `json:"matchable,omitempty"`
	Placement    string       `json:"placement,omitempty" validate:"max=64"`
	FirstDay     opstap.Date  `json:"first_day,omitzero"`
	LastDay      opstap.Date  `json:"last_day,omitzero"`
	HoursPerWeek int          `json:"hours_per_week,omitempty" validate:"min=1,max=60"`
	Outcome      flex.Outcome `json:"outcome,omitempty"`
	Month        opstap.Month `json:"month,omitzero"`
	// Hours are the approved hours as people write them: "80", "80,5" or
	// "80:30" (opstap.ParseHours).
	Hours  string               `json:"hours,omitempty" validate:"max=12"`
	Reason trajectory.EndReason `json:"reason,omitempty"`
}

// Columns are the CSV columns, which are also the API's property names.
var Columns = []string{"kind", "candidate", "date", "benefit_start", "matchable", "placement", "first_day", "last_day",
	"hours_per_week", "outcome", "month", "hours", "reason"}

// uses are the fields each kind needs (required) and may have (optional).
var uses = map[Kind]struct{ required, optional []string }{
	KindRegistration: {[]string{"candidate", "date"}, []string{"benefit_start"}},
	KindMatchable:    {[]string{"candidate", "date", "matchable"}, nil},
	KindPlacement:    {[]string{"placement", "candidate", "first_day", "last_day", "hours_per_week"}, []string{"outcome"}},
	KindHours:        {[]string{"placement", "month", "hours"}, nil},
	KindEnd:          {[]string{"candidate", "date", "reason"}, nil},
}

// set reports which fields of the record hold a value.
func (r *Record) set() map[string]bool {
	return map[string]bool{
		"candidate": r.Candidate != "", "date": !r.Date.IsZero(), "benefit_start": !r.BenefitStart.IsZero(),
		"matchable": r.Matchable != nil, "placement": r.Placement != "", "first_day": !r.FirstDay.IsZero(),
		"last_day": !r.LastDay.IsZero(), "hours_per_week": r.HoursPerWeek != 0, "outcome": r.Outcome != "",
		"month": !r.Month.IsZero(), "hours": r.Hours != "", "reason": r.Reason != "",
	}
}

// refRE is a reference: letters, digits and . _ / - , at most 64, so that
// it cannot carry a name or an address.
var refRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$`)

// ParseCSV reads a history file (UTF-8, ';' or ',', Dutch or ISO dates;
// csvfile) and checks it against today. It returns every problem at once as
// a *csvfile.FileError, or the records.
func ParseCSV(r io.Reader, today opstap.Date) ([]Record, error) {
	rows, err := csvfile.Read(r, csvfile.Schema{Columns: Columns, Required: []string{"kind"}, MaxRows: MaxRecords})
	if err != nil {
		return nil, withSummary(err)
	}
	var recs []Record
	for _, row := range rows {
		if len(row.Errs) > 0 {
			continue
		}
		if rec := parseRow(row); len(row.Errs) == 0 {
			recs = append(recs, rec)
		}
	}
	errs := append(csvfile.Errors(rows), Check(recs, today)...)
	if len(errs) > 0 {
		return nil, fileError(errs)
	}
	return recs, nil
}

func withSummary(err error) error {
	if fe, ok := err.(*csvfile.FileError); ok {
		return fileError(fe.Rows)
	}
	return err
}

func fileError(rows []csvfile.RowError) *csvfile.FileError {
	slices.SortStableFunc(rows, func(a, b csvfile.RowError) int { return cmp.Compare(a.Row, b.Row) })
	return &csvfile.FileError{Rows: rows, Summary: "the history has errors; nothing was imported"}
}

// Validate checks the records of an API body (numbered from 1 in the
// report) against today, like a file.
func Validate(recs []Record, today opstap.Date) error {
	if len(recs) == 0 {
		return fileError([]csvfile.RowError{{Row: 1, Field: "records", Message: "the history has no records"}})
	}
	if len(recs) > MaxRecords {
		return fileError([]csvfile.RowError{{Row: MaxRecords + 1, Field: "records", Message: "a file holds at most %d rows", Args: []any{MaxRecords}}})
	}
	for i := range recs {
		recs[i].Line = i + 1
	}
	if errs := Check(recs, today); len(errs) > 0 {
		return fileError(errs)
	}
	return nil
}

// parseRow reads a row's text into a record, reporting what cannot be read.
func parseRow(row *csvfile.Row) Record {
	f := row.Fields
	rec := Record{Line: row.Line, Candidate: f["candidate"], Placement: f["placement"], Outcome: flex.Outcome(strings.ToLower(f["outcome"])),
		Hours: f["hours"], Reason: trajectory.EndReason(strings.ToLower(f["reason"]))}
	k := strings.ToLower(f["kind"])
	if dk, ok := dutchKinds[k]; ok {
		k = string(dk)
	}
	rec.Kind = Kind(k)
	rec.Date, rec.BenefitStart = row.Date("date"), row.Date("benefit_start")
	rec.FirstDay, rec.LastDay = row.Date("first_day"), row.Date("last_day")
	if v := f["matchable"]; v != "" {
		switch strings.ToLower(v) {
		case "ja", "yes", "true", "1", "j", "y":
			rec.Matchable = ptr(true)
		case "nee", "no", "false", "0", "n":
			rec.Matchable = ptr(false)
		default:
			row.Fail("matchable", "write ja or nee")
		}
	}
	if v := f["hours_per_week"]; v != "" {
		n, ok := wholeNumber(v)
		if !ok {
			row.Fail("hours_per_week", "hours per week must be between 1 and 60")
		}
		rec.HoursPerWeek = n
	}
	if v := f["month"]; v != "" {
		m, err := opstap.ParseMonth(v)
		if err != nil {
			row.Fail("month", "not a valid month (use mm-jjjj or jjjj-mm)")
		}
		rec.Month = m
	}
	return rec
}

func ptr[T any](v T) *T { return &v }

// wholeNumber reads 1 to 3 digits.
func wholeNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 3 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Check applies the rules to the records, each record and across them, and
// returns every problem.
func Check(recs []Record, today opstap.Date) []csvfile.RowError {
	var errs []csvfile.RowError
	fail := func(r *Record, field, msg string, args ...any) {
		errs = append(errs, csvfile.RowError{Row: r.Line, Field: field, Message: msg, Args: args})
	}
	registered := map[string]int{}
	placements := map[string]*Record{}
	for i := range recs {
		r := &recs[i]
		u, ok := uses[r.Kind]
		if !ok {
			fail(r, "kind", "unknown kind; use registration, matchable, placement, hours or end")
			continue
		}
		before := len(errs)
		set := r.set()
		for _, c := range u.required {
			if !set[c] {
				fail(r, c, "required in a %s row", string(r.Kind))
			}
		}
		for _, c := range Columns[1:] {
			if set[c] && !slices.Contains(u.required, c) && !slices.Contains(u.optional, c) {
				fail(r, c, "not used in a %s row; leave it empty", string(r.Kind))
			}
		}
		if len(errs) > before {
			continue
		}
		checkRecord(r, today, func(field, msg string, args ...any) { fail(r, field, msg, args...) })
		switch r.Kind {
		case KindRegistration:
			if first, dup := registered[r.Candidate]; dup {
				fail(r, "candidate", "the candidate's registration repeats row %d", first)
			}
			registered[r.Candidate] = r.Line
		case KindPlacement:
			if first, dup := placements[r.Placement]; dup {
				fail(r, "placement", "the placement repeats row %d", first.Line)
			}
			placements[r.Placement] = r
		}
	}
	months := map[string]int{}
	for i := range recs {
		r := &recs[i]
		if r.Kind != KindHours || r.Placement == "" || r.Month.IsZero() {
			continue
		}
		p, ok := placements[r.Placement]
		switch {
		case !ok:
			fail(r, "placement", "unknown placement; its placement row must be in the same file")
		case r.Month.Before(opstap.MonthOf(p.FirstDay)) || r.Month.After(opstap.MonthOf(p.LastDay)):
			fail(r, "month", "the month lies outside the placement's days (row %d)", p.Line)
		}
		key := r.Placement + " " + r.Month.String()
		if first, dup := months[key]; dup {
			fail(r, "month", "the placement's hours of this month repeat row %d", first)
		}
		months[key] = r.Line
	}
	return errs
}

// checkRecord applies the rules of one record whose fields fit its kind.
func checkRecord(r *Record, today opstap.Date, fail func(field, msg string, args ...any)) {
	for _, ref := range []struct{ field, v string }{{"candidate", r.Candidate}, {"placement", r.Placement}} {
		switch {
		case ref.v == "":
		case !refRE.MatchString(ref.v):
			fail(ref.field, "a reference is 1 to 64 letters, digits and . _ / -")
		case candidate.ValidBSN(ref.v):
			fail(ref.field, "this looks like a citizen service number (BSN); use the municipality's pseudonymous reference")
		}
	}
	for _, d := range []struct {
		field string
		v     opstap.Date
	}{{"date", r.Date}, {"benefit_start", r.BenefitStart}, {"first_day", r.FirstDay}} {
		if d.v.After(today) {
			fail(d.field, "the history cannot lie in the future")
		}
	}
	switch r.Kind {
	case KindPlacement:
		if r.LastDay.Before(r.FirstDay) {
			fail("last_day", "the last day lies before the first day")
		}
		if r.HoursPerWeek < 1 || r.HoursPerWeek > flex.MaxHoursPerWeek {
			fail("hours_per_week", "hours per week must be between 1 and 60")
		}
		if r.Outcome != "" && !slices.Contains(flex.Outcomes, r.Outcome) {
			fail("outcome", "unknown outcome; use completed, ended_early or outflow_regular_work")
		}
	case KindHours:
		m, err := opstap.ParseHours(r.Hours)
		switch {
		case err != nil:
			fail("hours", "not a number of hours (use 80, 80,5 or 80:30)")
		case m <= 0 || m > maxMonthMinutes:
			fail("hours", "approved hours of a month lie between 0 and 744")
		}
		if r.Month.After(opstap.MonthOf(today)) {
			fail("month", "the history cannot lie in the future")
		}
	case KindEnd:
		if !slices.Contains(trajectory.EndReasons, r.Reason) {
			fail("reason", "unknown end reason")
		}
	}
}

// Facts are the records as the facts the figures count, under the ids the
// store keeps them by. Candidates and Placements are every id the records
// name: an import replaces all earlier imported facts of those, so that the
// same file imported twice counts once and a corrected file corrects.
type Facts struct {
	Candidates    []string
	Placements    []string
	Registrations []figures.Registration
	Matchable     []figures.MatchableChange
	Realised      []Placement
	Ends          []End
}

// Placement is an imported placement with whether it ended.
type Placement struct {
	figures.Placement
	Ended bool
}

// End is an imported trajectory end; Seq orders a candidate's ends.
type End struct {
	Candidate string
	Seq       int
	On        opstap.Date
	Reason    trajectory.EndReason
}

// CandidateID is the id an imported candidate's facts are kept by: the
// municipality's reference under a prefix no Opstap id has (those are
// UUIDs), so it can neither collide with a candidate of Opstap nor with
// another municipality's reference.
func CandidateID(cbs, ref string) string { return "history:" + cbs + ":" + ref }

// PlacementID is the id an imported placement's facts are kept by.
func PlacementID(cbs, ref string) string { return "history:" + cbs + ":placement:" + ref }

// ToFacts turns checked records of municipality cbs into facts. A
// candidate's matchable changes keep their order within a day as they
// stand in the file.
func ToFacts(cbs string, recs []Record) Facts {
	var f Facts
	cands, places := map[string]bool{}, map[string]int{}
	addCand := func(ref string) string {
		id := CandidateID(cbs, ref)
		if !cands[id] {
			cands[id] = true
			f.Candidates = append(f.Candidates, id)
		}
		return id
	}
	var changes []figures.MatchableChange
	for _, r := range recs {
		switch r.Kind {
		case KindRegistration:
			reg := figures.Registration{Candidate: addCand(r.Candidate), RegisteredOn: r.Date}
			if !r.BenefitStart.IsZero() {
				reg.OnBenefit, reg.BenefitMonths = true, figures.MonthsOnBenefit(r.BenefitStart, r.Date)
			}
			f.Registrations = append(f.Registrations, reg)
		case KindMatchable:
			changes = append(changes, figures.MatchableChange{Candidate: addCand(r.Candidate), On: r.Date, Matchable: *r.Matchable})
		case KindPlacement:
			id := PlacementID(cbs, r.Placement)
			places[r.Placement] = len(f.Realised)
			f.Placements = append(f.Placements, id)
			f.Realised = append(f.Realised, Placement{Ended: r.Outcome != "", Placement: figures.Placement{ID: id,
				Candidate: addCand(r.Candidate), First: r.FirstDay, Last: r.LastDay, HoursPerWeek: r.HoursPerWeek,
				Outcome: string(r.Outcome), Minutes: map[opstap.Month]int64{}}})
		case KindEnd:
			f.Ends = append(f.Ends, End{Candidate: addCand(r.Candidate), On: r.Date, Reason: r.Reason})
		}
	}
	for _, r := range recs {
		if r.Kind == KindHours {
			m, _ := opstap.ParseHours(r.Hours)
			f.Realised[places[r.Placement]].Minutes[r.Month] += int64(m)
		}
	}
	// Number each candidate's changes by day, keeping the file's order
	// within a day, and each candidate's ends.
	slices.SortStableFunc(changes, func(a, b figures.MatchableChange) int {
		return cmp.Or(cmp.Compare(a.Candidate, b.Candidate), a.On.Compare(b.On))
	})
	for i := range changes {
		changes[i].Seq = 1
		if i > 0 && changes[i-1].Candidate == changes[i].Candidate {
			changes[i].Seq = changes[i-1].Seq + 1
		}
	}
	f.Matchable = changes
	seq := map[string]int{}
	for i := range f.Ends {
		seq[f.Ends[i].Candidate]++
		f.Ends[i].Seq = seq[f.Ends[i].Candidate]
	}
	return f
}

// Figures gives the facts as the figures count them on day today: the
// outflow is the ends for regular work, a placement not ended runs until
// its last day has passed.
func (f Facts) Figures(today opstap.Date) figures.Facts {
	out := figures.Facts{Registrations: f.Registrations, Matchable: f.Matchable}
	for _, p := range f.Realised {
		pl := p.Placement
		pl.Running = figures.Running(p.Ended, pl.Last, today)
		out.Placements = append(out.Placements, pl)
	}
	for _, e := range f.Ends {
		if e.Reason == trajectory.EndRegularWork {
			out.Outflows = append(out.Outflows, figures.Outflow{Candidate: e.Candidate, On: e.On})
		}
	}
	return out
}

// WriteCSV writes records as a history file with every column, ';'
// separated, dates ISO: the form ParseCSV reads.
func WriteCSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, r := range recs {
		matchable, hpw := "", ""
		if r.Matchable != nil {
			matchable = map[bool]string{true: "ja", false: "nee"}[*r.Matchable]
		}
		if r.HoursPerWeek != 0 {
			hpw = strconv.Itoa(r.HoursPerWeek)
		}
		err := cw.Write([]string{string(r.Kind), r.Candidate, r.Date.String(), r.BenefitStart.String(), matchable, r.Placement,
			r.FirstDay.String(), r.LastDay.String(), hpw, string(r.Outcome), r.Month.String(), r.Hours, string(r.Reason)})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
