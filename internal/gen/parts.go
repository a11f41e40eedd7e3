package gen

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/store"
)

// The parts below are the generator's steps on their own, for benchmarks
// that need a data set of a particular shape (one municipality, one
// assignment, a given number of days of hours) rather than a preset. They
// write through the same store paths as Run.

// Dossiers registers n candidates of the commissioner, coached by coachID,
// through the bulk registration, each with m dossier entries written by the
// coach, and returns their ids in order. The external references are
// prefix-1, prefix-2, …; the names, birth dates and texts follow from seed.
func Dossiers(ctx context.Context, db *store.DB, commissionerID, coachID string, n, m int, prefix string, seed uint64) ([]string, error) {
	r := (&run{o: Options{Seed: seed}}).rng(11)
	today := opstap.DateOf(db.Now())
	rows := make([]candidate.CSVRow, n)
	for i := range rows {
		born := opstap.Date{Year: 1960 + i%45, Month: time.Month(1 + i%12), Day: 1 + i%28}
		rows[i] = candidate.CSVRow{Line: i + 2, Registration: candidate.Registration{
			CommissionerOrgID: commissionerID, ExternalRef: prefix + "-" + strconv.Itoa(i+1), CoachUserID: coachID,
			Basic: candidate.Basic{FirstName: firstNames[r.IntN(len(firstNames))], LastName: lastNames[r.IntN(len(lastNames))],
				BirthDate: born, Postcode: "1315AB"}}}
		if err := rows[i].Registration.Validate(today); err != nil {
			return nil, err
		}
	}
	for start := 0; start < n; start += candidateBatch {
		res, err := db.RegisterBulk(ctx, sys, rows[start:min(start+candidateBatch, n)])
		if err != nil {
			return nil, err
		}
		if res.Skipped > 0 {
			return nil, fmt.Errorf("gen: %d references with prefix %q were registered before", res.Skipped, prefix)
		}
	}
	refs, err := db.CandidateRefs(ctx, commissionerID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, n)
	for i, row := range rows {
		ids[i] = refs[row.Registration.ExternalRef]
	}
	var batch []store.GenEntry
	for i, id := range ids {
		for j := range m {
			var body strings.Builder
			for k := range 30 {
				if k > 0 {
					body.WriteByte(' ')
				}
				body.WriteString(words[r.IntN(len(words))])
			}
			batch = append(batch, store.GenEntry{CandidateID: id, Kind: dossier.NoteKinds[j%len(dossier.NoteKinds)],
				OccurredOn: today.AddDays(-(j*37 + i) % 1000), Title: fmt.Sprintf("Notitie %d", j+1), Body: body.String()})
		}
		if len(batch) >= entryBatch || (i == len(ids)-1 && len(batch) > 0) {
			if err := db.GenerateEntries(ctx, sys, coachID, batch); err != nil {
				return nil, err
			}
			batch = batch[:0]
		}
	}
	return ids, nil
}

// HoursSpec describes the hours Hours writes: one confirmed placement per
// candidate, spread over the assignments in turn, each with an approved
// line of Minutes (480 when zero) and Km of travel on every day from First
// for Days days.
type HoursSpec struct {
	Assignments []string
	Candidates  []string
	First       opstap.Date
	Days        int
	Minutes     int
	Km          int
	By          string // user recorded as proposing and approving
}

// Hours writes the placements and their lines and returns the placements'
// ids in candidate order. On PostgreSQL it ends with the statistics
// autovacuum would gather after such a load.
func Hours(ctx context.Context, db *store.DB, h HoursSpec) ([]string, error) {
	minutes := h.Minutes
	if minutes == 0 {
		minutes = 480
	}
	ids := make([]string, 0, len(h.Candidates))
	for start := 0; start < len(h.Candidates); start += 500 {
		chunk := h.Candidates[start:min(start+500, len(h.Candidates))]
		ps := make([]store.GenPlacement, len(chunk))
		for i, c := range chunk {
			ps[i] = store.GenPlacement{AssignmentID: h.Assignments[(start+i)%len(h.Assignments)], CandidateID: c,
				FirstDay: h.First, LastDay: h.First.AddDays(h.Days), HoursPerWeek: 40, DaysMask: 127, LineMinutes: minutes, LineKm: h.Km}
			for d := range h.Days {
				ps[i].Lines = append(ps[i].Lines, h.First.AddDays(d))
			}
		}
		if err := db.GeneratePlacements(ctx, sys, h.By, ps); err != nil {
			return nil, err
		}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
	}
	return ids, db.AnalyzeAfterLoad(ctx)
}

// FigureHistory gives the municipality's candidates the history the
// figures count: each is registered on one of the 730 days from first, set
// matchable (a third of them off again later), and placed perCandidate
// times for 100 days with linesPer approved days of 4 hours each; every
// tenth leaves for regular work.
func FigureHistory(ctx context.Context, db *store.DB, cbs, assignmentID, userID string, ids []string, first opstap.Date, perCandidate, linesPer int) error {
	for start := 0; start < len(ids); start += 250 {
		chunk := ids[start:min(start+250, len(ids))]
		var facts []store.GenFigureFacts
		var ps []store.GenPlacement
		for j, id := range chunk {
			i := start + j
			reg := first.AddDays(i % 730)
			f := store.GenFigureFacts{CandidateID: id, Municipality: cbs, RegisteredOn: reg, OnBenefit: i%7 != 0, BenefitMonths: (i * 13) % 80,
				Matchable: []store.GenMatchable{{On: reg.AddDays(7), Matchable: true}}}
			if i%3 == 0 {
				f.Matchable = append(f.Matchable, store.GenMatchable{On: reg.AddDays(200), Matchable: false})
			}
			day := reg.AddDays(14)
			for n := range perCandidate {
				last := day.AddDays(99)
				p := store.GenPlacement{AssignmentID: assignmentID, CandidateID: id, Municipality: cbs, FirstDay: day, LastDay: last,
					HoursPerWeek: []int{12, 16, 20, 32}[(i+n)%4], Ended: n < perCandidate-1 || i%2 == 0, DaysMask: 127, LineMinutes: 240}
				for d := range min(linesPer, 100) {
					p.Lines = append(p.Lines, day.AddDays(d))
				}
				ps = append(ps, p)
				day = last.AddDays(20)
			}
			if i%10 == 0 {
				f.EndedOn = day
			}
			facts = append(facts, f)
		}
		if err := db.GenerateFigureFacts(ctx, sys, userID, facts); err != nil {
			return err
		}
		if err := db.GeneratePlacements(ctx, sys, userID, ps); err != nil {
			return err
		}
	}
	return db.AnalyzeAfterLoad(ctx)
}
