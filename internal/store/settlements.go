package store

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/vault"
)

// Half-year settlements (issue 9 item 6; seed 003 art 6.1 lid 5, 6.2 lid 4).
// The rules are billing.Specify and billing.Settle; this file gathers the
// approved hours of a municipality's half year, prices them as the invoices
// and the payouts do, and reads what the premium needs. settlements_read.go
// keeps, shows and draws them up.

// PurposeSettlement is reading a candidate's basic data for the half-year
// settlement: the birth date decides whether the hours earn a premium
// (Participatiewet art 31 lid 7), the name goes on the specification.
const PurposeSettlement = "settlement"

// settlementLine is one approved timesheet line of the municipality's half
// year with the assignment's hourly rate.
type settlementLine struct {
	placementID, candidateID string
	day                      opstap.Date
	month                    opstap.Month
	minutes                  opstap.Minutes
	km                       int64
	transit                  opstap.Cents
	rate                     opstap.Cents
}

func (tx *Tx) settlementLines(ctx context.Context, cbs string, h billing.HalfYear) ([]settlementLine, error) {
	ms := h.Months()
	var out []settlementLine
	err := tx.eachRow(ctx, `SELECT l.placement_id, l.candidate_id, l.day, l.month, l.minutes, l.travel_km, l.transit_cents, s.hourly_rate_cents
		FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
		WHERE s.municipality_cbs = ? AND l.status = 'approved' AND l.month >= ? AND l.month <= ?`, []any{cbs, ms[0], ms[5]}, func(s scanner) error {
		var l settlementLine
		err := s.Scan(&l.placementID, &l.candidateID, &l.day, &l.month, &l.minutes, &l.km, &l.transit, &l.rate)
		out = append(out, l)
		return err
	})
	// Grouped per candidate here rather than by an ORDER BY: the sums do
	// not depend on the order, and sorting a half year's lines in Go costs
	// less than in the database.
	slices.SortFunc(out, func(a, b settlementLine) int {
		return cmp.Or(strings.Compare(a.candidateID, b.candidateID), strings.Compare(a.placementID, b.placementID))
	})
	return out, err
}

// settlementRun is one computation of a settlement.
type settlementRun struct {
	tx       *Tx
	a        *opstap.Actor
	cbs      string
	h        billing.HalfYear
	versions []billing.Terms
	subjects map[string]access.Subject
	sealed   map[string]sealedBasic
	paid     map[string]map[opstap.Month]opstap.Cents // premium of paid accruals per candidate and month
	names    map[string]string
	entries  []audit.Entry
}

// computeSettlement works out municipality cbs's settlement of h as the
// actor (finance) sees it: the statement, the names finance could read on
// the way, and the audit entries of those reads.
func (tx *Tx) computeSettlement(ctx context.Context, a *opstap.Actor, cbs string, h billing.HalfYear) (*billing.Statement, *settlementRun, error) {
	r := &settlementRun{tx: tx, a: a, cbs: cbs, h: h, names: map[string]string{}, paid: map[string]map[opstap.Month]opstap.Cents{}}
	var err error
	if r.versions, err = tx.TermsVersions(ctx, cbs); err != nil {
		return nil, nil, err
	}
	terms := map[opstap.Month]billing.MonthTerms{}
	for _, m := range h.Months() {
		// The month's fee and minimum follow the version in force on its
		// last day, as the monthly invoice does.
		if t, ok := billing.TermsAt(r.versions, m.Last()); ok {
			terms[m] = billing.MonthTerms{Applies: true, ValidFrom: t.ValidFrom, FeeTiers: t.FeeTiers, MonthlyMinimum: t.MonthlyMinimum}
		}
	}
	dueDays := billing.DefaultSettlementDays
	if t, ok := billing.TermsAt(r.versions, h.End()); ok {
		dueDays = t.SettlementDays
	}
	lines, err := tx.settlementLines(ctx, cbs, h)
	if err != nil {
		return nil, nil, err
	}
	if err := r.load(ctx); err != nil {
		return nil, nil, err
	}
	var work []billing.Work
	for start := 0; start < len(lines); {
		end := start + 1
		for end < len(lines) && lines[end].candidateID == lines[start].candidateID {
			end++
		}
		w, err := r.candidate(ctx, lines[start:end])
		if err != nil {
			return nil, nil, err
		}
		work = append(work, w...)
		start = end
	}
	// Premium above the year's maximum is not paid, so not deducted: it is
	// shown as excess for the municipality to decide.
	table, err := tx.PremiumCapTable(ctx)
	if err != nil {
		return nil, nil, err
	}
	earlier, err := tx.premiumEarlierInYear(ctx, cbs, h)
	if err != nil {
		return nil, nil, err
	}
	if work, err = billing.CapPremiums(work, table, earlier); err != nil {
		return nil, nil, err
	}
	st, err := billing.Specify(cbs, h, work, terms, dueDays)
	return st, r, err
}

// premiumEarlierInYear is, per candidate of the municipality, the premium
// accrued in the half year's calendar year before its first month, as the
// payouts recorded it (premium_accruals): for the second half year, the
// first's; for the first, nothing. Premium of the first half year not yet
// paid is not known here and counts as none.
func (tx *Tx) premiumEarlierInYear(ctx context.Context, cbs string, h billing.HalfYear) (map[string]opstap.Cents, error) {
	out := map[string]opstap.Cents{}
	first := h.Months()[0]
	if first.Month == 1 {
		return out, nil
	}
	err := tx.eachRow(ctx, `SELECT candidate_id, COALESCE(SUM(premium_cents), 0) FROM premium_accruals WHERE month >= ? AND month < ?
		AND candidate_id IN (`+placedIn+`) GROUP BY candidate_id`, []any{opstap.Month{Year: first.Year, Month: 1}, first, cbs}, func(s scanner) error {
		var id string
		var c opstap.Cents
		err := s.Scan(&id, &c)
		out[id] = c
		return err
	})
	return out, err
}

// placedIn selects the candidates placed on an assignment of municipality
// cbs: a superset of those with hours in a half year, read from the
// placements rather than from the far larger timesheet lines.
const placedIn = `SELECT p.candidate_id FROM placements p JOIN assignments s ON s.id = p.assignment_id WHERE s.municipality_cbs = ?`

// settlementSubjects loads, in one query, the access subjects of the
// candidates placed in the municipality. Finance and the municipality do
// not stand to a candidate through a placement, so the employers are left
// out.
func (tx *Tx) settlementSubjects(ctx context.Context, cbs string) (map[string]access.Subject, error) {
	out := map[string]access.Subject{}
	err := tx.eachRow(ctx, `SELECT `+candidateColumns+` FROM candidates c WHERE c.id IN (`+placedIn+`)`, []any{cbs}, func(s scanner) error {
		c, err := scanCandidate(s)
		if err == nil {
			out[c.ID] = subjectOf(c)
		}
		return err
	})
	return out, err
}

// sealedBasic is a candidate's wrapped data key and sealed basic data,
// read in bulk and opened only after the access decision.
type sealedBasic struct {
	wrapped    []byte
	version    int
	ciphertext []byte
}

// sealedBasics reads, in one query, the sealed basic data of the
// candidates placed in municipality cbs whose key still exists (an erased
// candidate has none): a settlement reads thousands, and one round trip
// each would dominate it on PostgreSQL.
func (tx *Tx) sealedBasics(ctx context.Context, cbs string) (map[string]sealedBasic, error) {
	out := map[string]sealedBasic{}
	err := tx.eachRow(ctx, `SELECT k.candidate_id, k.wrapped_key, k.key_version, d.ciphertext FROM candidate_keys k
		JOIN candidate_data d ON d.candidate_id = k.candidate_id AND d.category = ?
		WHERE k.destroyed_at IS NULL AND k.candidate_id IN (`+placedIn+`)`, []any{string(opstap.CatBasic), cbs}, func(s scanner) error {
		var id string
		var b sealedBasic
		err := s.Scan(&id, &b.wrapped, &b.version, &b.ciphertext)
		out[id] = b
		return err
	})
	return out, err
}

// open unseals one candidate's basic data; ok is false when there is none.
func (tx *Tx) openBasic(sealed map[string]sealedBasic, id string) (b candidate.Basic, ok bool, err error) {
	sb, ok := sealed[id]
	switch {
	case !ok:
		return b, false, nil
	case sb.wrapped == nil:
		return b, false, errKeyNotLoaded
	}
	dk, err := tx.db.Keyring.Unwrap(sb.wrapped, sb.version, id)
	if err != nil {
		return b, false, err
	}
	plain, err := dk.Open(sb.ciphertext, vault.FieldAAD(id, string(opstap.CatBasic)))
	if err != nil {
		return b, false, err
	}
	return b, true, json.Unmarshal(plain, &b)
}

// load reads the subjects, the sealed basic data and, in one query, the premiums already paid
// for the half year's months.
func (r *settlementRun) load(ctx context.Context) error {
	var err error
	if r.subjects, err = r.tx.settlementSubjects(ctx, r.cbs); err != nil {
		return err
	}
	if r.sealed, err = r.tx.sealedBasics(ctx, r.cbs); err != nil {
		return err
	}
	ms := r.h.Months()
	return r.tx.eachRow(ctx, `SELECT candidate_id, month, premium_cents FROM premium_accruals WHERE month >= ? AND month <= ?
		AND candidate_id IN (`+placedIn+`)`, []any{ms[0], ms[5], r.cbs}, func(s scanner) error {
		var id string
		var m opstap.Month
		var p opstap.Cents
		if err := s.Scan(&id, &m, &p); err != nil {
			return err
		}
		if r.paid[id] == nil {
			r.paid[id] = map[opstap.Month]opstap.Cents{}
		}
		r.paid[id][m] = p
		return nil
	})
}

func (r *settlementRun) termsOn(d opstap.Date) (billing.Terms, error) {
	t, ok := billing.TermsAt(r.versions, d)
	if !ok {
		return t, opstap.Errorf(opstap.ECONFLICT, "no contract terms apply to municipality %s on %s", r.cbs, d.Dutch())
	}
	return t, nil
}

// candidate prices one candidate's lines per month: revenue per placement
// and month as the employer invoice rounds it, travel per day as the
// payout does, the premium as the payout accrues it.
func (r *settlementRun) candidate(ctx context.Context, lines []settlementLine) ([]billing.Work, error) {
	id := lines[0].candidateID
	type key struct {
		placement string
		month     opstap.Month
		rate      opstap.Cents
	}
	minutes := map[key]opstap.Minutes{}
	byMonth := map[opstap.Month]*billing.Work{}
	var keys []key
	days := make([]billing.WorkDay, 0, len(lines))
	for _, l := range lines {
		t, err := r.termsOn(l.day)
		if err != nil {
			return nil, err
		}
		travel, err := billing.TravelCost(t, l.km, l.transit)
		if err != nil {
			return nil, err
		}
		days = append(days, billing.WorkDay{Date: l.day, Month: l.month, Minutes: l.minutes, Travel: travel, PremiumPerHour: t.PremiumPerHour})
		w := byMonth[l.month]
		if w == nil {
			w = &billing.Work{CandidateID: id, Month: l.month}
			byMonth[l.month] = w
		}
		if w.Travel, err = w.Travel.Add(travel); err != nil {
			return nil, err
		}
		if w.Minutes, err = addMinutes(w.Minutes, l.minutes); err != nil {
			return nil, err
		}
		k := key{l.placementID, l.month, l.rate}
		if _, ok := minutes[k]; !ok {
			keys = append(keys, k)
		}
		if minutes[k], err = addMinutes(minutes[k], l.minutes); err != nil {
			return nil, err
		}
	}
	for _, k := range keys {
		net, err := billing.HoursLine(minutes[k], k.rate)
		if err != nil {
			return nil, err
		}
		w := byMonth[k.month]
		if w.Revenue, err = w.Revenue.Add(net); err != nil {
			return nil, err
		}
	}
	premiums, known, err := r.premiums(ctx, id, days)
	if err != nil {
		return nil, err
	}
	out := make([]billing.Work, 0, len(byMonth))
	for _, m := range r.h.Months() {
		w := byMonth[m]
		if w == nil {
			continue
		}
		switch p, paid := r.paid[id][m]; {
		case known:
			w.Premium = premiums[m]
		case paid:
			w.Premium = p
		default:
			w.PremiumUnknown = true
		}
		out = append(out, *w)
	}
	return out, nil
}

// premiums accrues a candidate's premium per month from the birth date,
// read under the actor's access and logged; known is false when it cannot
// be read (erased, restricted, or never recorded), and then the premium
// paid for the month, if any, is what counts.
func (r *settlementRun) premiums(ctx context.Context, id string, days []billing.WorkDay) (map[opstap.Month]opstap.Cents, bool, error) {
	d := access.Decide(r.a, r.subjects[id], opstap.CatBasic, opstap.Read, "")
	if !d.Allowed {
		return nil, false, nil
	}
	b, ok, err := r.tx.openBasic(r.sealed, id)
	if err != nil || !ok {
		return nil, false, err // !ok: erased, the key is gone
	}
	e := candidateEntry(r.a, d, id, opstap.CatBasic, opstap.Read, PurposeSettlement)
	e.Detail = "birth date and name for the settlement " + r.h.String() + " of " + r.cbs
	r.entries = append(r.entries, e)
	if name := strings.TrimSpace(b.FirstName + " " + b.LastName); name != "" {
		r.names[id] = name
	}
	if b.BirthDate.IsZero() {
		return nil, false, nil
	}
	acc, err := billing.Accrue(b.BirthDate, days)
	if err != nil {
		return nil, false, err
	}
	out := map[opstap.Month]opstap.Cents{}
	for _, x := range acc {
		out[x.Month] = x.Premium
	}
	return out, true, nil
}

func addMinutes(a, b opstap.Minutes) (opstap.Minutes, error) {
	s, err := opstap.Cents(a).Add(opstap.Cents(b))
	return opstap.Minutes(s), err
}

// settlementNames looks up the names of a statement's candidates that the
// actor may read (finance; the municipality that commissioned them), each
// read logged. The others, and erased candidates, stay pseudonymous.
func (tx *Tx) settlementNames(ctx context.Context, a *opstap.Actor, st *billing.Statement) (map[string]string, []audit.Entry, error) {
	subjects, err := tx.settlementSubjects(ctx, st.Municipality)
	if err != nil {
		return nil, nil, err
	}
	sealed, err := tx.sealedBasics(ctx, st.Municipality)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	var entries []audit.Entry
	for _, c := range st.Candidates {
		s, ok := subjects[c.CandidateID]
		if !ok {
			continue
		}
		d := access.Decide(a, s, opstap.CatBasic, opstap.Read, "")
		if !d.Allowed {
			continue
		}
		b, ok, err := tx.openBasic(sealed, c.CandidateID)
		if err != nil {
			return nil, nil, err
		} else if !ok {
			continue // erased: the key is gone
		}
		e := candidateEntry(a, d, c.CandidateID, opstap.CatBasic, opstap.Read, PurposeSettlement)
		e.Detail = "name on the settlement " + st.Half.String() + " of " + st.Municipality
		entries = append(entries, e)
		if name := strings.TrimSpace(b.FirstName + " " + b.LastName); name != "" {
			names[c.CandidateID] = name
		}
	}
	return names, entries, nil
}
