package store

import (
	"context"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/timesheet"
)

// Worked hours (issue 9 item 2; DOMAIN.md §5, seed 003 art 5 lid 3, 8, 9).
// The rules are in internal/timesheet; this file gathers the facts, asks
// the access policy for the category timesheets (the employer of the
// placement, the candidate, the municipality, finance) and logs every read
// and write in the same transaction.

// PurposeHours is recorded with finance's reads and corrections of hours.
const PurposeHours = "hours"

// NoticeHoursUpdate tells the employer that hours wait for approval, and
// the candidate that their hours were decided; the text is neutral.
const NoticeHoursUpdate = "hours_update"

var errNoLine = opstap.Errorf(opstap.ENOTFOUND, "no such hours")

func init() {
	noticeTexts[NoticeHoursUpdate] = struct{ Text string }{"There is news about worked hours in Opstap."}
	// The lines are a money record under the statutory retention [001; AWR
	// art 52]: they stay with the pseudonymous candidate id; the typed
	// reasons go with the person.
	registerErasureStep("timesheet_texts", "timesheet_lines", `UPDATE timesheet_lines SET reason = NULL WHERE reason IS NOT NULL AND candidate_id = ?`)
}

// hoursTx is one transaction's access to one placement's hours.
type hoursTx struct {
	tx      *Tx
	a       *opstap.Actor
	p       *flex.Placement
	s       access.Subject
	d       access.Decision
	src     timesheet.Source // who the actor enters hours as; "" for readers only
	purpose string
}

// hoursAccess loads placement id and decides the actor's access to its
// hours. The employer stands in RelationOwnPlacement to the hours of this
// placement only, and keeps it after the placement ended: the hours are
// the basis of its invoices.
func (tx *Tx) hoursAccess(ctx context.Context, a *opstap.Actor, id string, act opstap.Action) (*hoursTx, error) {
	p, err := tx.placement(ctx, id)
	if err != nil {
		return nil, err
	}
	_, s, err := tx.candidateSubject(ctx, p.CandidateID)
	if err != nil {
		return nil, err
	}
	s.EmployerOrgIDs = []string{p.EmployerID}
	h := &hoursTx{tx: tx, a: a, p: p, s: s, purpose: PurposePlacement}
	switch {
	case a == nil:
	case a.UserID != "" && a.UserID == s.CandidateUserID:
		h.src, h.purpose = timesheet.SourceCandidate, PurposeSelf
	case a.OrgID == p.EmployerID && a.Has(opstap.RoleEmployer, opstap.Read):
		h.src = timesheet.SourceEmployer
	case a.OrgKind == opstap.OrgProvider && a.Has(opstap.RoleFinance, opstap.Read):
		h.src, h.purpose = timesheet.SourceFinance, PurposeHours
	}
	if h.d, err = tx.db.decide(ctx, a, s, opstap.CatTimesheets, act, h.purpose, ""); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *hoursTx) facts() timesheet.Placement {
	return timesheet.Placement{Status: h.p.Status, FirstDay: h.p.FirstDay, LastDay: h.p.LastDay, Hours: h.p.Hours}
}

func (h *hoursTx) entry(act opstap.Action, what string) audit.Entry {
	e := candidateEntry(h.a, h.d, h.p.CandidateID, opstap.CatTimesheets, act, h.purpose)
	e.Detail = "placement " + h.p.ID + ": " + what
	return e
}

// EnterHours stores a batch of days (a week at once, or one day) for a
// placement: the employer's are approved as entered, the candidate's wait
// for the employer, who is told. All or nothing: the first refusal names
// its field (entries.N.day, .hours, .travel_km, .transit) and nothing is
// stored. Refused: a placement that is not confirmed, a day outside it or
// in a closed month, more than 24 hours, negative amounts, a day already
// approved (correct it instead) or awaiting the employer's decision.
func (db *DB) EnterHours(ctx context.Context, a *opstap.Actor, placementID string, es []timesheet.Entry) ([]timesheet.Line, error) {
	var out []timesheet.Line
	err := db.WithTx(ctx, func(tx *Tx) error {
		h, err := tx.hoursAccess(ctx, a, placementID, opstap.Write)
		if err != nil {
			return err
		}
		if h.src != timesheet.SourceEmployer && h.src != timesheet.SourceCandidate {
			return opstap.Errorf(opstap.EFORBIDDEN, "hours are entered by the employer or by the candidate")
		}
		if err := h.facts().CheckOpen(); err != nil {
			return err
		}
		closed, err := tx.closedMonths(ctx)
		if err != nil {
			return err
		}
		if err := timesheet.CheckBatch(es, h.facts(), closed, opstap.DateOf(tx.Now())); err != nil {
			return err
		}
		for i, e := range es {
			l, err := h.enterDay(ctx, i, e)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		if err := h.afterChange(ctx, days(es)...); err != nil {
			return err
		}
		if h.src == timesheet.SourceCandidate {
			if err := tx.notifyParties(ctx, h.p, HappenedHoursEntered, "", "/employer/hours"); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, h.entry(opstap.Write, strconv.Itoa(len(es))+" days entered"))
	})
	return out, err
}

func days(es []timesheet.Entry) []opstap.Date {
	out := make([]opstap.Date, len(es))
	for i, e := range es {
		out[i] = e.Day
	}
	return out
}

// enterDay inserts the day's line or updates the candidate's undecided one.
func (h *hoursTx) enterDay(ctx context.Context, i int, e timesheet.Entry) (timesheet.Line, error) {
	tx := h.tx
	existing, err := tx.hourLines(ctx, `l.placement_id = ? AND l.day = ?`, h.p.ID, e.Day)
	if err != nil {
		return timesheet.Line{}, err
	}
	upd, err := timesheet.Plan(i, h.src, existing)
	if err != nil {
		return timesheet.Line{}, err
	}
	l := timesheet.Line{PlacementID: h.p.ID, CandidateID: h.p.CandidateID, Entry: e, Month: opstap.MonthOf(e.Day),
		Status: timesheet.StatusOf(h.src), Source: h.src, EnteredBy: h.a.UserID, EnteredAt: tx.Now()}
	if upd != nil {
		l.ID = upd.ID
		_, err = tx.exec(ctx, `UPDATE timesheet_lines SET minutes = ?, travel_km = ?, transit_cents = ?, entered_by = ?, entered_at = ? WHERE id = ?`,
			e.Minutes, e.TravelKm, e.TransitCents, l.EnteredBy, l.EnteredAt, l.ID)
		return l, err
	}
	if l.Status == timesheet.StatusApproved {
		now := tx.Now()
		l.DecidedBy, l.DecidedAt = h.a.UserID, &now
	}
	return l, tx.insertLine(ctx, &l, nil)
}

// insertLine stores l under a new ID, unless the caller chose one (a
// sealed reason is bound to it).
func (tx *Tx) insertLine(ctx context.Context, l *timesheet.Line, reason []byte) error {
	if l.ID == "" {
		l.ID = newID()
	}
	var corrects any
	if l.CorrectsID != "" {
		corrects = l.CorrectsID
	}
	_, err := tx.exec(ctx, `INSERT INTO timesheet_lines (id, placement_id, candidate_id, day, month, minutes, travel_km, transit_cents, status, source,
		corrects_id, reason, entered_by, entered_at, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.PlacementID, l.CandidateID, l.Day, l.Month, l.Minutes, l.TravelKm, l.TransitCents, string(l.Status), string(l.Source),
		corrects, reason, l.EnteredBy, l.EnteredAt, l.DecidedBy, l.DecidedAt)
	return err
}

// afterChange re-flags the weeks of the changed days: approved hours above
// the week's contracted hours are shown to the municipality (issue 9 item
// 2) until it notes them; a week back within the contract loses its flag.
// It also recounts the placement's approved minutes for the figures
// (figures_facts.go).
func (h *hoursTx) afterChange(ctx context.Context, changed ...opstap.Date) error {
	tx, done := h.tx, map[opstap.Date]bool{}
	if err := tx.refreshPlacementMinutes(ctx, h.p.ID); err != nil {
		return err
	}
	for _, d := range changed {
		mon := timesheet.WeekStart(d)
		if done[mon] {
			continue
		}
		done[mon] = true
		lines, err := tx.hourLines(ctx, `l.placement_id = ? AND l.day >= ? AND l.day <= ?`, h.p.ID, mon, mon.AddDays(6))
		if err != nil {
			return err
		}
		if err := tx.flagWeek(ctx, h.p.ID, h.facts().WeekOf(mon, lines)); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) flagWeek(ctx context.Context, placementID string, w timesheet.Week) error {
	if !w.Over() {
		_, err := tx.exec(ctx, `DELETE FROM timesheet_flags WHERE placement_id = ? AND monday = ?`, placementID, w.Monday)
		return err
	}
	// A week that grows after the municipality noted it asks for its
	// attention again.
	_, err := tx.exec(ctx, `INSERT INTO timesheet_flags (placement_id, monday, minutes, limit_hours, flagged_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (placement_id, monday) DO UPDATE SET limit_hours = excluded.limit_hours, flagged_at = excluded.flagged_at,
		noted_at = CASE WHEN excluded.minutes > timesheet_flags.minutes THEN NULL ELSE timesheet_flags.noted_at END,
		minutes = excluded.minutes`, placementID, w.Monday, w.Minutes, w.LimitHours, tx.Now())
	return err
}

// DecideHours is the employer approving or rejecting (with a reason) the
// candidate's submitted lines of one placement. A line of a month finance
// closed in the meantime is booked in the next open month. The candidate
// is told.
func (db *DB) DecideHours(ctx context.Context, a *opstap.Actor, placementID string, lineIDs []string, approve bool, reason string) error {
	if len(lineIDs) == 0 {
		return opstap.FieldError("lines", "choose the hours to decide on")
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		h, err := tx.hoursAccess(ctx, a, placementID, opstap.Write)
		if err != nil {
			return err
		}
		if h.src != timesheet.SourceEmployer {
			return opstap.Errorf(opstap.EFORBIDDEN, "only the employer approves hours")
		}
		sl, err := tx.sealerFor(ctx, h.p.CandidateID)
		if err != nil {
			return err
		}
		var changed []opstap.Date
		for _, id := range lineIDs {
			l, err := tx.hourLine(ctx, id)
			if err != nil || l.PlacementID != h.p.ID {
				return errNoLine
			}
			if err := timesheet.CheckDecision(l, approve, reason); err != nil {
				return err
			}
			status, month, ct := timesheet.StatusRejected, l.Month, sl.seal("timesheet_line/"+l.ID, reason)
			if approve {
				status, ct = timesheet.StatusApproved, nil
				if month, err = tx.landingMonth(ctx, opstap.MonthOf(l.Day)); err != nil {
					return err
				}
			}
			if _, err := tx.exec(ctx, `UPDATE timesheet_lines SET status = ?, month = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
				string(status), month, ct, a.UserID, tx.Now(), l.ID); err != nil {
				return err
			}
			changed = append(changed, l.Day)
		}
		if err := h.afterChange(ctx, changed...); err != nil {
			return err
		}
		event := HappenedHoursRejected
		if approve {
			event = HappenedHoursApproved
		}
		if err := tx.notifyParties(ctx, h.p, event, "/portal/hours", ""); err != nil {
			return err
		}
		what := map[bool]string{true: " approved", false: " rejected"}[approve]
		return tx.Audit(ctx, h.entry(opstap.Write, strconv.Itoa(len(lineIDs))+" lines"+what))
	})
}

// CorrectHours records a correction of an approved day: a new line that
// refers to the day's original, holds the difference to what the day
// counted and states the reason; nothing is edited. It is booked in the
// day's month while that is open, otherwise in the next open month. The
// employer and finance correct; the placement may have ended meanwhile.
func (db *DB) CorrectHours(ctx context.Context, a *opstap.Actor, lineID string, c timesheet.Correction) (*timesheet.Line, error) {
	var out *timesheet.Line
	err := db.WithTx(ctx, func(tx *Tx) error {
		orig, err := tx.hourLine(ctx, lineID)
		if err != nil {
			return err
		}
		if orig.CorrectsID != "" {
			if orig, err = tx.hourLine(ctx, orig.CorrectsID); err != nil {
				return err
			}
		}
		h, err := tx.hoursAccess(ctx, a, orig.PlacementID, opstap.Write)
		if err != nil {
			return err
		}
		if h.src != timesheet.SourceEmployer && h.src != timesheet.SourceFinance {
			return opstap.Errorf(opstap.EFORBIDDEN, "approved hours are corrected by the employer or by finance")
		}
		if err := h.facts().CheckCorrectable(); err != nil {
			return err
		}
		day, err := tx.hourLines(ctx, `(l.id = ? OR l.corrects_id = ?)`, orig.ID, orig.ID)
		if err != nil {
			return err
		}
		delta, err := c.Delta(day)
		if err != nil {
			return err
		}
		month, err := tx.landingMonth(ctx, opstap.MonthOf(orig.Day))
		if err != nil {
			return err
		}
		now := tx.Now()
		l := &timesheet.Line{PlacementID: orig.PlacementID, CandidateID: orig.CandidateID, Entry: delta, Month: month, Status: timesheet.StatusApproved,
			Source: h.src, CorrectsID: orig.ID, Reason: c.Reason, EnteredBy: a.UserID, EnteredAt: now, DecidedBy: a.UserID, DecidedAt: &now}
		sl, err := tx.sealerFor(ctx, orig.CandidateID)
		if err != nil {
			return err
		}
		l.ID = newID()
		if err := tx.insertLine(ctx, l, sl.seal("timesheet_line/"+l.ID, c.Reason)); err != nil {
			return err
		}
		if err := h.afterChange(ctx, orig.Day); err != nil {
			return err
		}
		out = l
		return tx.Audit(ctx, h.entry(opstap.Write, "correction of line "+orig.ID+" booked in "+month.String()))
	})
	return out, err
}
