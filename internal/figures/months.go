package figures

import "github.com/opstap/opstap"

// The facts of one month, and a period's figures put together from the
// facts of its months: what a closed month's snapshot keeps (item 7), so
// that a month counts from its frozen facts while the open months count
// live.

// Month keeps the facts month m's figures count, for any part of m: the
// registrations, placements (by first day) and outflow dated in m; of the
// matchable status each candidate's last change before m and every change
// in m; every erasure.
func (f Facts) Month(m opstap.Month) Facts {
	first, last := m.First(), m.Last()
	in := func(d opstap.Date) bool { return !d.Before(first) && !d.After(last) }
	out := Facts{Erased: map[string]opstap.Date{}}
	for id, d := range f.Erased {
		out.Erased[id] = d
	}
	for _, r := range f.Registrations {
		if in(r.RegisteredOn) {
			out.Registrations = append(out.Registrations, r)
		}
	}
	for _, p := range f.Placements {
		if in(p.First) {
			out.Placements = append(out.Placements, p)
		}
	}
	for _, o := range f.Outflows {
		if in(o.On) {
			out.Outflows = append(out.Outflows, o)
		}
	}
	before := map[string]MatchableChange{}
	for _, c := range f.Matchable {
		switch {
		case c.On.After(last):
		case c.On.Before(first):
			if prev, ok := before[c.Candidate]; !ok || later(c, prev) {
				before[c.Candidate] = c
			}
		default:
			out.Matchable = append(out.Matchable, c)
		}
	}
	for _, c := range before {
		out.Matchable = append(out.Matchable, c)
	}
	return out
}

// Combine puts the facts of the months of p together as the period's
// facts: each month's registrations, placements and outflow from its own
// facts, the matchable status and erasures from the last month's.
func Combine(months map[opstap.Month]Facts, p Period) Facts {
	end := months[opstap.MonthOf(p.End)]
	out := Facts{Matchable: end.Matchable, Erased: end.Erased}
	for m := opstap.MonthOf(p.Start); !m.After(opstap.MonthOf(p.End)); m = m.Next() {
		f := months[m]
		out.Registrations = append(out.Registrations, f.Registrations...)
		out.Placements = append(out.Placements, f.Placements...)
		out.Outflows = append(out.Outflows, f.Outflows...)
	}
	return out
}

// ComputeMonths is Compute and Trend over facts given per month: the
// period's figures from the combined facts, each month's from its own.
func ComputeMonths(months map[opstap.Month]Facts, p Period) (Figures, []Month) {
	var trend []Month
	for m := opstap.MonthOf(p.Start); !m.After(opstap.MonthOf(p.End)); m = m.Next() {
		part := Period{Start: latest(m.First(), p.Start), End: earliest(m.Last(), p.End)}
		trend = append(trend, Month{Month: m, Figures: Compute(months[m], part)})
	}
	return Compute(Combine(months, p), p), trend
}

// ByMonth splits facts into the facts of each month of p. The months
// share the matchable history and erasures, which the figures read only up
// to a month's days anyway; Month keeps a month's own part of them, for a
// snapshot.
func (f Facts) ByMonth(p Period) map[opstap.Month]Facts {
	out := map[opstap.Month]Facts{}
	from, to := opstap.MonthOf(p.Start), opstap.MonthOf(p.End)
	for m := from; !m.After(to); m = m.Next() {
		out[m] = Facts{Matchable: f.Matchable, Erased: f.Erased}
	}
	put := func(d opstap.Date, add func(*Facts)) {
		if m := opstap.MonthOf(d); !m.Before(from) && !m.After(to) {
			x := out[m]
			add(&x)
			out[m] = x
		}
	}
	for _, r := range f.Registrations {
		put(r.RegisteredOn, func(x *Facts) { x.Registrations = append(x.Registrations, r) })
	}
	for _, pl := range f.Placements {
		put(pl.First, func(x *Facts) { x.Placements = append(x.Placements, pl) })
	}
	for _, o := range f.Outflows {
		put(o.On, func(x *Facts) { x.Outflows = append(x.Outflows, o) })
	}
	return out
}
