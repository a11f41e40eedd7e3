package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/mgmtreport"
)

// PurposeManagementReport is reporting to the municipality on the flex
// instrument [003 art 5 lid 10, 11].
const PurposeManagementReport = "management_report"

// NoticeManagementReport tells a municipality's case managers that last
// month's report is ready; like every notice it names nobody.
const NoticeManagementReport = "management_report_ready"

func init() {
	noticeTexts[NoticeManagementReport] = struct{ Text string }{"A new management report is ready for you in Opstap."}
	NoticeKinds = append(NoticeKinds, NoticeManagementReport)
}

// Kinds of stored report.
const (
	ReportMonthly   = "monthly"
	ReportQuarterly = "quarterly"
)

// reportScope lets finance read any municipality's reports and a
// municipality's case manager its own; an unknown municipality is named
// as such.
func (tx *Tx) reportScope(ctx context.Context, a *opstap.Actor, cbs string) error {
	if !can(a, access.ReadManagementReports) {
		return forbidden()
	}
	if err := tx.checkMunicipality(ctx, "municipality", cbs); err != nil {
		return err
	}
	if a.System || a.OrgKind != opstap.OrgMunicipality {
		return nil
	}
	var own string
	if err := tx.queryRow(ctx, `SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ?`, a.OrgID).Scan(&own); err != nil {
		return err
	}
	if own != cbs {
		return opstap.Errorf(opstap.EFORBIDDEN, "you may only see the reports of your own municipality")
	}
	return nil
}

// OwnMunicipality returns the CBS code of the actor's municipality, empty
// for staff of the provider.
func (db *DB) OwnMunicipality(ctx context.Context, a *opstap.Actor) (string, error) {
	var cbs string
	if a == nil || a.OrgKind != opstap.OrgMunicipality {
		return "", nil
	}
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ?`), a.OrgID).Scan(&cbs)
	return cbs, wrapDBErr(err)
}

// reportAccess decides, per candidate in the facts, what the reader may
// use: a candidate whose hours the reader may not read (processing
// restricted) leaves the financial overview; the birth date is used for
// the premium where the reader may read basic data. names, when asked
// for, holds the names the reader may see; the system reads none. Every
// read is returned as an audit entry.
func (tx *Tx) reportAccess(ctx context.Context, a *opstap.Actor, f *mgmtreport.Facts, wantNames bool) (map[string]string, []audit.Entry, error) {
	ids := map[string]bool{}
	for _, l := range f.Hours {
		ids[l.CandidateID] = true
	}
	for _, p := range f.Placements {
		ids[p.CandidateID] = true
	}
	names := map[string]string{}
	var entries []audit.Entry
	denied := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		hours := access.Decide(a, s, opstap.CatTimesheets, opstap.Read, "")
		if !hours.Allowed && !a.System {
			denied[id] = true
			continue
		}
		entries = append(entries, candidateEntry(a, hours, id, opstap.CatTimesheets, opstap.Read, PurposeManagementReport))
		basic := access.Decide(a, s, opstap.CatBasic, opstap.Read, "")
		if !basic.Allowed && !a.System {
			continue
		}
		b, err := tx.candidateBasic(ctx, id)
		if errors.Is(err, errNoCandidate) {
			continue // erased: no birth date and no name left
		} else if err != nil {
			return nil, nil, err
		}
		f.Births[id] = b.BirthDate
		if wantNames && !a.System {
			names[id] = b.FirstName + " " + b.LastName
		}
		entries = append(entries, candidateEntry(a, basic, id, opstap.CatBasic, opstap.Read, PurposeManagementReport))
	}
	f.Hours = slices.DeleteFunc(f.Hours, func(l mgmtreport.HourLine) bool { return denied[l.CandidateID] })
	return names, entries, nil
}

// MonthlyReport makes the management report of municipality cbs over the
// months from..to [003 art 5 lid 10], with the candidates' names where
// the reader may see them. Finance reads any municipality's, a case
// manager their own.
func (db *DB) MonthlyReport(ctx context.Context, a *opstap.Actor, cbs string, from, to opstap.Month) (*mgmtreport.Monthly, error) {
	p, err := mgmtreport.NewPeriod(from, to)
	if err != nil {
		return nil, err
	}
	var out *mgmtreport.Monthly
	err = db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.reportScope(ctx, a, cbs); err != nil {
			return err
		}
		r, entries, err := tx.monthly(ctx, a, cbs, p, true)
		if err != nil {
			return err
		}
		out = r
		e := entryFor(a, audit.EventRead)
		e.Detail = "management report " + cbs + " " + p.From.String() + ".." + p.To.String()
		return tx.Audit(ctx, append(entries, e)...)
	})
	return out, err
}

func (tx *Tx) monthly(ctx context.Context, a *opstap.Actor, cbs string, p mgmtreport.Period, names bool) (*mgmtreport.Monthly, []audit.Entry, error) {
	f, err := tx.reportFacts(ctx, cbs, p.First(), p.Last(), p.From, p.To)
	if err != nil {
		return nil, nil, err
	}
	who, entries, err := tx.reportAccess(ctx, a, &f, names)
	if err != nil {
		return nil, nil, err
	}
	r, err := mgmtreport.BuildMonthly(f, p, opstap.DateOf(tx.Now()))
	if err != nil {
		return nil, nil, err
	}
	for i := range r.Candidates {
		r.Candidates[i].Name = who[r.Candidates[i].CandidateID]
	}
	return r, entries, nil
}

// QuarterlyReport makes the progress report of municipality cbs for
// quarter q [003 art 5 lid 11]: the figures per month, the trend, and what
// needs attention today.
func (db *DB) QuarterlyReport(ctx context.Context, a *opstap.Actor, cbs string, q mgmtreport.Quarter) (*mgmtreport.Quarterly, error) {
	if q.IsZero() {
		return nil, opstap.FieldError("quarter", "write a quarter as 2026-Q3")
	}
	var out *mgmtreport.Quarterly
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.reportScope(ctx, a, cbs); err != nil {
			return err
		}
		made := opstap.DateOf(tx.Now())
		p := q.Period()
		// The placements running today and the year's hours for the
		// attention points, besides the quarter's own.
		first, last := p.First(), p.Last()
		if made.After(last) {
			last = made
		}
		from, to := p.From, p.To
		if jan := (opstap.Month{Year: made.Year, Month: 1}); jan.Before(from) {
			from = jan
		}
		if m := opstap.MonthOf(made); to.Before(m) {
			to = m
		}
		f, err := tx.reportFacts(ctx, cbs, first, last, from, to)
		if err != nil {
			return err
		}
		_, entries, err := tx.reportAccess(ctx, a, &f, false)
		if err != nil {
			return err
		}
		af, err := tx.attentionFacts(ctx, cbs, made)
		if err != nil {
			return err
		}
		if out, err = mgmtreport.BuildQuarterly(f, af, q, made); err != nil {
			return err
		}
		e := entryFor(a, audit.EventRead)
		e.Detail = "progress report " + cbs + " " + q.String()
		return tx.Audit(ctx, append(entries, e)...)
	})
	return out, err
}

// StoredReport is a report the scheduled job made, as listed.
type StoredReport struct {
	ID               string    `json:"id"`
	Municipality     string    `json:"municipality"`
	MunicipalityName string    `json:"municipality_name"`
	Kind             string    `json:"kind"`
	Period           string    `json:"period"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
}

// StoredReports lists the stored reports, newest period first: for a case
// manager those of their municipality, for finance all.
func (db *DB) StoredReports(ctx context.Context, a *opstap.Actor) ([]StoredReport, error) {
	if !can(a, access.ReadManagementReports) {
		return nil, forbidden()
	}
	own, err := db.OwnMunicipality(ctx, a)
	if err != nil {
		return nil, err
	}
	where, args := "", []any{}
	if a.OrgKind == opstap.OrgMunicipality {
		where, args = ` AND r.municipality_cbs = ?`, []any{own}
	}
	out := []StoredReport{}
	err = db.readTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT r.id, r.municipality_cbs, o.name, r.kind, r.period, r.version, r.created_at FROM management_reports r
			JOIN organisations o ON o.cbs_code = r.municipality_cbs AND o.kind = 'municipality' WHERE 1 = 1`+where+`
			ORDER BY r.period DESC, o.name LIMIT 500`, args, func(s scanner) error {
			var r StoredReport
			err := s.Scan(&r.ID, &r.Municipality, &r.MunicipalityName, &r.Kind, &r.Period, &r.Version, scanTime(&r.CreatedAt))
			out = append(out, r)
			return err
		})
	})
	return out, err
}

// StoredMonthly returns a stored monthly report as it was made, with the
// names the reader may see today (an erased candidate keeps only the
// pseudonym).
func (db *DB) StoredMonthly(ctx context.Context, a *opstap.Actor, id string) (*mgmtreport.Monthly, error) {
	var out mgmtreport.Monthly
	err := db.WithTx(ctx, func(tx *Tx) error {
		var cbs, kind, body string
		err := tx.queryRow(ctx, `SELECT municipality_cbs, kind, body FROM management_reports WHERE id = ?`, id).Scan(&cbs, &kind, &body)
		if errors.Is(err, sql.ErrNoRows) || err == nil && kind != ReportMonthly {
			return opstap.Errorf(opstap.ENOTFOUND, "no such report")
		} else if err != nil {
			return err
		}
		if err := tx.reportScope(ctx, a, cbs); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			return err
		}
		f := mgmtreport.Facts{Births: map[string]opstap.Date{}}
		for _, c := range out.Candidates {
			f.Hours = append(f.Hours, mgmtreport.HourLine{CandidateID: c.CandidateID})
		}
		names, entries, err := tx.reportAccess(ctx, a, &f, true)
		if err != nil {
			return err
		}
		for i := range out.Candidates {
			out.Candidates[i].Name = names[out.Candidates[i].CandidateID]
		}
		e := entryFor(a, audit.EventRead)
		e.Detail = "stored management report " + id
		return tx.Audit(ctx, append(entries, e)...)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// MakeMonthlyReports makes and stores month m's report for every
// municipality that has none yet, and tells its case managers (in the app
// and by e-mail, without personal data). Each municipality is one
// transaction; a second run, also at the same moment, stores and notifies
// nothing twice (one report per municipality, kind and period). It
// returns how many it made, and the municipalities it could not make a
// report for with the reason (hours without contract terms); any other
// error stops the run.
func (db *DB) MakeMonthlyReports(ctx context.Context, m opstap.Month) (int, map[string]error, error) {
	var muns []string
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT cbs_code FROM organisations WHERE kind = ? AND cbs_code <> '' ORDER BY cbs_code`,
			[]any{string(opstap.OrgMunicipality)}, func(s scanner) error {
				var c string
				err := s.Scan(&c)
				muns = append(muns, c)
				return err
			})
	})
	if err != nil {
		return 0, nil, err
	}
	made, failed := 0, map[string]error{}
	sys := &opstap.Actor{System: true}
	for _, cbs := range muns {
		var stored bool
		err := db.WithTx(ctx, func(tx *Tx) error {
			var err error
			stored, err = tx.storeMonthly(ctx, sys, cbs, m)
			return err
		})
		switch {
		case opstap.AsError(err) != nil && opstap.AsError(err).Code == opstap.ECONFLICT:
			failed[cbs] = err // hours without contract terms to price them
		case err != nil:
			return made, failed, err
		case stored:
			made++
		}
	}
	return made, failed, nil
}

func (tx *Tx) storeMonthly(ctx context.Context, sys *opstap.Actor, cbs string, m opstap.Month) (bool, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM management_reports WHERE municipality_cbs = ? AND kind = ? AND period = ?`,
		cbs, ReportMonthly, m.String()).Scan(&n); err != nil || n > 0 {
		return false, err
	}
	r, entries, err := tx.monthly(ctx, sys, cbs, mgmtreport.Period{From: m, To: m}, false)
	if err != nil {
		return false, err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	id := newID()
	res, err := tx.exec(ctx, `INSERT INTO management_reports (id, municipality_cbs, kind, period, version, body, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (municipality_cbs, kind, period) DO NOTHING`,
		id, cbs, ReportMonthly, m.String(), r.Version, string(body), tx.Now(), "system")
	if err != nil {
		return false, err
	}
	if k, err := res.RowsAffected(); err != nil || k == 0 {
		return false, err
	}
	var users []string
	if err := tx.eachRow(ctx, `SELECT DISTINCT u.id FROM users u JOIN organisations o ON o.id = u.org_id JOIN grants g ON g.user_id = u.id
		WHERE o.kind = ? AND o.cbs_code = ? AND g.role = ? AND g.blocked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)
		AND u.blocked_at IS NULL ORDER BY u.id`, []any{string(opstap.OrgMunicipality), cbs, string(opstap.RoleCaseManager), tx.Now()}, func(s scanner) error {
		var u string
		err := s.Scan(&u)
		users = append(users, u)
		return err
	}); err != nil {
		return false, err
	}
	for _, u := range users {
		if err := tx.Notify(ctx, u, NoticeManagementReport, "/management-reports/stored/"+id); err != nil {
			return false, err
		}
	}
	e := entryFor(sys, audit.EventWrite)
	e.Detail = "management report " + cbs + " " + m.String() + " stored"
	return true, tx.Audit(ctx, append(entries, e)...)
}

// ReportMunicipality is a municipality a reader may ask reports of.
type ReportMunicipality struct {
	CBS  string `json:"cbs"`
	Name string `json:"name"`
}

// ReportChoices returns the provider's name (the author of the PDFs) and
// the municipalities whose reports the reader may make: a case manager's
// own, every one for finance.
func (db *DB) ReportChoices(ctx context.Context, a *opstap.Actor) (string, []ReportMunicipality, error) {
	if !can(a, access.ReadManagementReports) {
		return "", nil, forbidden()
	}
	own, err := db.OwnMunicipality(ctx, a)
	if err != nil {
		return "", nil, err
	}
	var provider string
	var out []ReportMunicipality
	err = db.readTx(ctx, func(tx *Tx) error {
		_ = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? ORDER BY created_at LIMIT 1`, string(opstap.OrgProvider)).Scan(&provider)
		return tx.eachRow(ctx, `SELECT cbs_code, name FROM organisations WHERE kind = ? AND cbs_code <> '' ORDER BY name`,
			[]any{string(opstap.OrgMunicipality)}, func(s scanner) error {
				var m ReportMunicipality
				if err := s.Scan(&m.CBS, &m.Name); err != nil {
					return err
				}
				if a.OrgKind != opstap.OrgMunicipality || m.CBS == own {
					out = append(out, m)
				}
				return nil
			})
	})
	return provider, out, err
}
