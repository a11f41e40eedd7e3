package storetest

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/gen"
	"github.com/opstap/opstap/internal/store"
)

// Hours describes the hours GenerateHours writes: one confirmed placement
// per candidate, spread over the assignments in turn, each with an
// approved line of Minutes (and 10 km of travel) on every day from First
// for Days days.
type Hours struct {
	Assignments []string
	Candidates  []string
	First       opstap.Date
	Days        int
	Minutes     int    // per day; 480 when zero
	By          string // user id recorded as entering and approving
}

// GenerateHours writes the placements and approved timesheet lines for
// benchmarks through the scale generator (gen.Hours: the store's
// generation path, audited) and returns the placements' ids in candidate
// order.
func GenerateHours(ctx context.Context, db *store.DB, h Hours) ([]string, error) {
	return gen.Hours(ctx, db, gen.HoursSpec{Assignments: h.Assignments, Candidates: h.Candidates, First: h.First, Days: h.Days,
		Minutes: h.Minutes, Km: 10, By: h.By})
}
