package timesheet

import (
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/flex"
)

func day(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func fieldOrCode(err error) string {
	if e := opstap.AsError(err); e != nil && e.Field != "" {
		return e.Field
	}
	return opstap.ErrorCode(err)
}

// today is a Wednesday in May 2026.
var today = day("2026-05-13")

// placement runs 2 March – 31 May 2026 at 24 hours, from 4 May at 32.
var placement = Placement{Status: flex.PlacementConfirmed, FirstDay: day("2026-03-02"), LastDay: day("2026-05-31"),
	Hours: []flex.HoursPeriod{{From: day("2026-03-02"), HoursPerWeek: 24}, {From: day("2026-05-06"), HoursPerWeek: 32}}}

// TestCheckEntry: every refusal of issue 9 item 2 names its field.
func TestCheckEntry(t *testing.T) {
	closed := []opstap.Month{{Year: 2026, Month: 3}}
	ok := Entry{Day: day("2026-04-07"), Minutes: 480, TravelKm: 12, TransitCents: 450}
	tests := []struct {
		name string
		mod  func(e *Entry)
		want string
	}{
		{"a normal day", func(*Entry) {}, ""},
		{"exactly 24 hours", func(e *Entry) { e.Minutes = 24 * 60 }, ""},
		{"more than 24 hours", func(e *Entry) { e.Minutes = 24*60 + 1 }, "entries.0.hours"},
		{"negative hours", func(e *Entry) { e.Minutes = -30 }, "entries.0.hours"},
		{"before the first day", func(e *Entry) { e.Day = day("2026-03-01") }, "entries.0.day"},
		{"after the last day", func(e *Entry) { e.Day = day("2026-06-01") }, "entries.0.day"},
		{"in a closed month", func(e *Entry) { e.Day = day("2026-03-31") }, "entries.0.day"},
		{"no day", func(e *Entry) { e.Day = opstap.Date{} }, "entries.0.day"},
		{"today", func(e *Entry) { e.Day = today }, ""},
		{"tomorrow", func(e *Entry) { e.Day = today.AddDays(1) }, "entries.0.day"},
		{"negative kilometres", func(e *Entry) { e.TravelKm = -1 }, "entries.0.travel_km"},
		{"absurd kilometres", func(e *Entry) { e.TravelKm = MaxDayKm + 1 }, "entries.0.travel_km"},
		{"negative receipt", func(e *Entry) { e.TransitCents = -1 }, "entries.0.transit"},
		{"absurd receipt", func(e *Entry) { e.TransitCents = MaxDayTransitCents + 1 }, "entries.0.transit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.mod(&e)
			if got := fieldOrCode(CheckEntry(0, e, placement, closed, today)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckEntryAfterLastDay: a past day after the placement's last day is
// outside it, named as such.
func TestCheckEntryAfterLastDay(t *testing.T) {
	p := placement
	p.LastDay = day("2026-04-30")
	err := CheckEntry(0, entry0(day("2026-05-04")), p, nil, today)
	if e := opstap.AsError(err); e == nil || e.Field != "entries.0.day" || e.Message != "%s lies outside the placement, which runs from %s to %s" {
		t.Fatalf("got %v", err)
	}
}

func entry0(d opstap.Date) Entry { return Entry{Day: d, Minutes: 60} }

func TestCheckOpen(t *testing.T) {
	tests := []struct {
		status      flex.PlacementStatus
		open, corr  bool
		description string
	}{
		{flex.PlacementConfirmed, true, true, "running"},
		{flex.PlacementEnded, false, true, "ended: no new hours, corrections still"},
		{flex.PlacementCancelled, false, false, "cancelled"},
		{flex.PlacementDeclined, false, false, "declined"},
		{flex.PlacementProposed, false, false, "not yet confirmed"},
		{flex.PlacementAccepted, false, false, "awaiting the municipality"},
	}
	for _, tt := range tests {
		p := placement
		p.Status = tt.status
		if (p.CheckOpen() == nil) != tt.open || (p.CheckCorrectable() == nil) != tt.corr {
			t.Errorf("%s: open %v, correctable %v", tt.description, p.CheckOpen(), p.CheckCorrectable())
		}
		if err := p.CheckOpen(); err != nil && opstap.ErrorCode(err) != opstap.ECONFLICT {
			t.Errorf("%s: code %s", tt.description, opstap.ErrorCode(err))
		}
	}
}

func TestCheckBatch(t *testing.T) {
	week := []Entry{{Day: day("2026-04-06"), Minutes: 480}, {Day: day("2026-04-07"), Minutes: 450}}
	if err := CheckBatch(week, placement, nil, today); err != nil {
		t.Fatal(err)
	}
	if got := fieldOrCode(CheckBatch(nil, placement, nil, today)); got != "entries" {
		t.Fatalf("empty batch: %q", got)
	}
	twice := append(week, Entry{Day: day("2026-04-06"), Minutes: 60})
	if got := fieldOrCode(CheckBatch(twice, placement, nil, today)); got != "entries.2.day" {
		t.Fatalf("a day twice: %q", got)
	}
	bad := append(week, Entry{Day: day("2026-04-08"), Minutes: 25 * 60})
	if got := fieldOrCode(CheckBatch(bad, placement, nil, today)); got != "entries.2.hours" {
		t.Fatalf("the third day's hours: %q", got)
	}
}

func TestPlan(t *testing.T) {
	submitted := Line{ID: "s", Entry: Entry{Day: day("2026-04-06")}, Status: StatusSubmitted, Source: SourceCandidate}
	approved := Line{ID: "a", Entry: Entry{Day: day("2026-04-06")}, Status: StatusApproved, Source: SourceEmployer}
	rejected := Line{ID: "r", Entry: Entry{Day: day("2026-04-06")}, Status: StatusRejected, Source: SourceCandidate}
	tests := []struct {
		name     string
		src      Source
		day      []Line
		updateID string
		want     string
	}{
		{"empty day, employer", SourceEmployer, nil, "", ""},
		{"empty day, candidate", SourceCandidate, nil, "", ""},
		{"only a rejected line: new line", SourceCandidate, []Line{rejected}, "", ""},
		{"candidate changes own undecided line", SourceCandidate, []Line{rejected, submitted}, "s", ""},
		{"employer over the candidate's undecided line", SourceEmployer, []Line{submitted}, "", "entries.0.hours"},
		{"approved: correction only (candidate)", SourceCandidate, []Line{approved}, "", "entries.0.hours"},
		{"approved: correction only (employer)", SourceEmployer, []Line{approved}, "", "entries.0.hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Plan(0, tt.src, tt.day)
			id := ""
			if l != nil {
				id = l.ID
			}
			if fieldOrCode(err) != tt.want || id != tt.updateID {
				t.Fatalf("got %v, %q; want %q, %q", err, id, tt.want, tt.updateID)
			}
		})
	}
	if StatusOf(SourceEmployer) != StatusApproved || StatusOf(SourceCandidate) != StatusSubmitted {
		t.Fatal("StatusOf")
	}
}

func TestCheckDecision(t *testing.T) {
	sub := &Line{Status: StatusSubmitted}
	if err := CheckDecision(sub, true, ""); err != nil {
		t.Fatal(err)
	}
	if got := fieldOrCode(CheckDecision(sub, false, "te kort")); got != "reason" {
		t.Fatalf("rejection without a reason: %q", got)
	}
	if err := CheckDecision(sub, false, "was not at work that day"); err != nil {
		t.Fatal(err)
	}
	if got := fieldOrCode(CheckDecision(&Line{Status: StatusApproved}, true, "")); got != opstap.ECONFLICT {
		t.Fatalf("deciding twice: %q", got)
	}
}

// TestCorrection: a correction holds the difference to what the day counts
// now, its original and earlier corrections together; never an edit.
func TestCorrection(t *testing.T) {
	d := day("2026-04-06")
	orig := Line{ID: "o", Entry: Entry{Day: d, Minutes: 480, TravelKm: 10, TransitCents: 0}, Status: StatusApproved}
	first := Line{ID: "c1", CorrectsID: "o", Entry: Entry{Day: d, Minutes: -60}, Status: StatusApproved}
	tests := []struct {
		name string
		day  []Line
		c    Correction
		want Entry
		err  string
	}{
		{"fewer hours", []Line{orig}, Correction{Minutes: 420, TravelKm: 10, Reason: "left an hour early"}, Entry{Day: d, Minutes: -60}, ""},
		{"on top of an earlier correction", []Line{orig, first}, Correction{Minutes: 450, TravelKm: 0, TransitCents: 380, Reason: "came by bus, not by car"},
			Entry{Day: d, Minutes: 30, TravelKm: -10, TransitCents: 380}, ""},
		{"no reason", []Line{orig}, Correction{Minutes: 420, TravelKm: 10}, Entry{}, "reason"},
		{"changes nothing", []Line{orig, first}, Correction{Minutes: 420, TravelKm: 10, Reason: "just checking it"}, Entry{}, "hours"},
		{"more than 24 hours", []Line{orig}, Correction{Minutes: 1441, Reason: "typing error in the total"}, Entry{}, "hours"},
		{"negative result", []Line{orig}, Correction{Minutes: -1, Reason: "typing error in the total"}, Entry{}, "hours"},
		{"not approved yet", []Line{{ID: "s", Entry: Entry{Day: d}, Status: StatusSubmitted}}, Correction{Minutes: 60, Reason: "typing error in the total"}, Entry{}, opstap.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.Delta(tt.day)
			if fieldOrCode(err) != tt.err || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v, %q", got, err, tt.want, tt.err)
			}
		})
	}
	if e := Effective([]Line{orig, first, {Entry: Entry{Minutes: 999}, Status: StatusRejected}}); e.Minutes != 420 || e.TravelKm != 10 {
		t.Fatalf("Effective: %+v", e)
	}
}

// TestWeeks: hours above the contracted hours of the week are flagged; a
// week in which the hours change holds the higher number.
func TestWeeks(t *testing.T) {
	if got := WeekStart(day("2026-04-12")); got != day("2026-04-06") { // Sunday → Monday
		t.Fatalf("WeekStart(Sunday) = %s", got)
	}
	if got := WeekStart(day("2026-04-06")); got != day("2026-04-06") {
		t.Fatalf("WeekStart(Monday) = %s", got)
	}
	if HoursInForce(placement.Hours, day("2026-05-05")) != 24 || HoursInForce(placement.Hours, day("2026-05-06")) != 32 {
		t.Fatal("HoursInForce")
	}
	if placement.WeekLimit(day("2026-05-04")) != 32 || placement.WeekLimit(day("2026-04-27")) != 24 {
		t.Fatal("WeekLimit around the change")
	}
	if placement.WeekLimit(day("2026-03-02")) != 24 || placement.WeekLimit(day("2026-02-23")) != 0 { // before the placement: nothing contracted
		t.Fatal("WeekLimit of the first week")
	}
	mon := day("2026-04-06")
	lines := []Line{
		{Entry: Entry{Day: mon, Minutes: 8 * 60}, Status: StatusApproved},
		{Entry: Entry{Day: mon.AddDays(1), Minutes: 8 * 60}, Status: StatusApproved},
		{Entry: Entry{Day: mon.AddDays(2), Minutes: 8 * 60}, Status: StatusApproved},
		{Entry: Entry{Day: mon.AddDays(3), Minutes: 60}, Status: StatusSubmitted}, // pending: does not count yet
		{Entry: Entry{Day: mon.AddDays(7), Minutes: 600}, Status: StatusApproved}, // next week
	}
	w := placement.WeekOf(mon, lines)
	if w.Minutes != 24*60 || w.Over() {
		t.Fatalf("exactly the contract: %+v", w)
	}
	lines = append(lines, Line{CorrectsID: "x", Entry: Entry{Day: mon.AddDays(2), Minutes: 15}, Status: StatusApproved})
	if w := placement.WeekOf(mon, lines); !w.Over() || w.Minutes != 24*60+15 {
		t.Fatalf("a quarter over: %+v", w)
	}
	if ds := Days(mon); len(ds) != 7 || ds[6] != day("2026-04-12") || Weekday(ds[6]) != "sun" || Weekday(mon) != "mon" {
		t.Fatalf("Days: %v", ds)
	}
}

// TestWeek: which days of a week a reader can enter, for the employer and
// the candidate.
func TestWeek(t *testing.T) {
	mon := day("2026-03-30") // the week runs into April; March is closed
	closed := []opstap.Month{{Year: 2026, Month: 3}}
	p := placement
	p.LastDay = day("2026-04-02") // a Thursday
	lines := []Line{
		{ID: "a", Entry: Entry{Day: day("2026-03-31"), Minutes: 480}, Status: StatusApproved, Source: SourceEmployer},
		{ID: "c", CorrectsID: "a", Entry: Entry{Day: day("2026-03-31"), Minutes: -60}, Status: StatusApproved, Source: SourceFinance},
		{ID: "s", Entry: Entry{Day: day("2026-04-01"), Minutes: 240}, Status: StatusSubmitted, Source: SourceCandidate},
	}
	tests := []struct {
		src  Source
		want string // per day: E enterable, - not
	}{
		{SourceEmployer, "---E---"},  // Mon, Tue closed; Wed pending; Thu open; Fri–Sun after the last day
		{SourceCandidate, "--EE---"}, // the candidate changes their own pending Wednesday
		{"", "-------"},
	}
	for _, tt := range tests {
		w := WeekView(mon, lines, p, closed, today, tt.src)
		got := ""
		for _, d := range w {
			got += map[bool]string{true: "E", false: "-"}[d.Enterable]
		}
		if got != tt.want {
			t.Errorf("%q: %s, want %s", tt.src, got, tt.want)
		}
	}
	w := WeekView(mon, lines, p, closed, today, SourceEmployer)
	if w[1].Effective.Minutes != 420 || len(w[1].Lines) != 2 || w[1].Original.ID != "a" || !w[1].Closed || !w[2].Pending || w[3].Original != nil {
		t.Fatalf("days: %+v", w)
	}
	p.Status = flex.PlacementEnded
	for _, d := range WeekView(mon, lines, p, closed, today, SourceEmployer) {
		if d.Enterable {
			t.Fatalf("an ended placement offers %s", d.Day)
		}
	}
}

// TestCanEnterCorrect: the client employer and the candidate enter hours,
// only on a confirmed placement [003 art 5 lid 4: work starts after the
// confirmation to both]; an ended placement takes no new hours. The
// employer and finance correct approved hours, also after the end; the
// candidate does not (docs/hours.md).
func TestCanEnterCorrect(t *testing.T) {
	statuses := []flex.PlacementStatus{flex.PlacementProposed, flex.PlacementAcceptedByCandidate, flex.PlacementAcceptedByEmployer,
		flex.PlacementAccepted, flex.PlacementConfirmed, flex.PlacementEnded, flex.PlacementDeclined, flex.PlacementCancelled}
	tests := []struct {
		src      Source
		entersOn flex.PlacementStatus // the one status it enters on; "" for none
		corrects bool
	}{
		{SourceEmployer, flex.PlacementConfirmed, true},
		{SourceCandidate, flex.PlacementConfirmed, false},
		{SourceFinance, "", true},
		{"", "", false}, // a reader who enters nothing: the case manager
	}
	for _, tt := range tests {
		for _, st := range statuses {
			if got, want := CanEnter(tt.src, st), st == tt.entersOn; got != want {
				t.Errorf("CanEnter(%q, %q) = %v, want %v", tt.src, st, got, want)
			}
		}
		if got := CanCorrect(tt.src); got != tt.corrects {
			t.Errorf("CanCorrect(%q) = %v, want %v", tt.src, got, tt.corrects)
		}
	}
}
