package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/vault"
)

// Reports (DOMAIN.md §3): what a report holds, its versions and the
// candidate's approval are internal/dossier's rules; the store keeps the
// reports, sealed.

// reportTx is the frame every report method shares: load the report's
// candidate, ask the policy, open the candidate's key, do the work and
// audit it last.
type reportTx struct {
	tx    *Tx
	a     *opstap.Actor
	d     access.Decision
	dk    vault.DataKey
	cid   string
	event string // overrides the audit event, e.g. audit.EventExport when data leaves
}

// withCandidate runs fn for candidateID after the policy allowed act on
// the reports category; the audit entry (with detail) is written last.
func (db *DB) withCandidate(ctx context.Context, a *opstap.Actor, candidateID string, act opstap.Action, purpose string, fn func(rt *reportTx) (string, error)) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatReports, act, purpose, "")
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		rt := &reportTx{tx: tx, a: a, d: d, dk: dk, cid: candidateID}
		detail, err := fn(rt)
		if err != nil {
			return err
		}
		e := candidateEntry(a, d, candidateID, opstap.CatReports, act, purpose)
		e.Detail = detail
		if rt.event != "" {
			e.Event = rt.event
		}
		return tx.Audit(ctx, e)
	})
}

var errNoReport = opstap.Errorf(opstap.ENOTFOUND, "no such report")

// reportCandidate finds the candidate of a report, outside the policy:
// the id alone reveals nothing, and the policy is asked right after.
func (db *DB) reportCandidate(ctx context.Context, reportID string) (string, error) {
	var cid string
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT candidate_id FROM reports WHERE id = ?`), reportID).Scan(&cid)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNoReport
	}
	return cid, err
}

// withReport runs fn on a report after the policy allowed act; the report
// is loaded (with its versions) inside the transaction.
func (db *DB) withReport(ctx context.Context, a *opstap.Actor, reportID string, act opstap.Action, purpose string, fn func(rt *reportTx, r *dossier.Report) (string, error)) error {
	cid, err := db.reportCandidate(ctx, reportID)
	if err != nil {
		return err
	}
	return db.withCandidate(ctx, a, cid, act, purpose, func(rt *reportTx) (string, error) {
		r, err := rt.load(ctx, reportID)
		if err != nil {
			return "", err
		}
		return fn(rt, r)
	})
}

func (rt *reportTx) aad(reportID string, version int, field string) string {
	return vault.FieldAAD(rt.cid, "report:"+reportID+":"+strconv.Itoa(version)+":"+field)
}

func (rt *reportTx) seal(reportID string, version int, field string, v any) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return rt.dk.Seal(plain, rt.aad(reportID, version, field)), nil
}

func (rt *reportTx) open(reportID string, version int, field string, ct []byte, dst any) error {
	if ct == nil {
		return nil
	}
	plain, err := rt.dk.Open(ct, rt.aad(reportID, version, field))
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, dst)
}

// CreateReport writes the first version of a report, as a draft.
func (db *DB) CreateReport(ctx context.Context, a *opstap.Actor, candidateID string, d dossier.ReportDraft) (*dossier.Report, error) {
	if err := d.ValidateNew(); err != nil {
		return nil, err
	}
	var out *dossier.Report
	err := db.withCandidate(ctx, a, candidateID, opstap.Write, PurposeGuidance, func(rt *reportTx) (string, error) {
		id := newID()
		if _, err := rt.tx.exec(ctx, `INSERT INTO reports (id, candidate_id, kind, current_version, created_by, created_at) VALUES (?, ?, ?, 1, ?, ?)`,
			id, candidateID, string(d.Kind), a.UserID, rt.tx.Now()); err != nil {
			return "", err
		}
		if err := rt.insertVersion(ctx, id, 1, d); err != nil {
			return "", err
		}
		var err error
		out, err = rt.load(ctx, id)
		return "report " + id + " created", err
	})
	return out, err
}

func (rt *reportTx) insertVersion(ctx context.Context, reportID string, version int, d dossier.ReportDraft) error {
	ct, err := rt.seal(reportID, version, "content", d.Content)
	if err != nil {
		return err
	}
	_, err = rt.tx.exec(ctx, `INSERT INTO report_versions (report_id, version, status, content_ct, health_data, written_by, written_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		reportID, version, dossier.StatusDraft, ct, d.HealthData, rt.a.UserID, rt.tx.Now())
	return err
}

// UpdateReport changes the text. A draft is changed in place; a version
// that was submitted, approved or commented on stays as it was, and the
// change becomes a new draft version that needs a new approval
// [000 art 5].
func (db *DB) UpdateReport(ctx context.Context, a *opstap.Actor, reportID string, d dossier.ReportDraft) (*dossier.Report, error) {
	var out *dossier.Report
	err := db.withReport(ctx, a, reportID, opstap.Write, PurposeGuidance, func(rt *reportTx, r *dossier.Report) (string, error) {
		d.Kind = r.Kind
		if err := d.Validate(); err != nil {
			return "", err
		}
		cur := r.Current()
		if cur.EditsInPlace() {
			ct, err := rt.seal(r.ID, cur.Version, "content", d.Content)
			if err != nil {
				return "", err
			}
			if _, err := rt.tx.exec(ctx, `UPDATE report_versions SET content_ct = ?, health_data = ?, written_by = ?, written_at = ? WHERE report_id = ? AND version = ?`,
				ct, d.HealthData, a.UserID, rt.tx.Now(), r.ID, cur.Version); err != nil {
				return "", err
			}
		} else {
			next := cur.Version + 1
			if err := rt.insertVersion(ctx, r.ID, next, d); err != nil {
				return "", err
			}
			if _, err := rt.tx.exec(ctx, `UPDATE reports SET current_version = ? WHERE id = ?`, next, r.ID); err != nil {
				return "", err
			}
		}
		var err error
		out, err = rt.load(ctx, r.ID)
		return "report " + r.ID + " edited", err
	})
	return out, err
}

// SubmitReport puts the current draft before the candidate for approval
// and tells them so [000 art 5, 004 "Toestemming kandidaat"].
func (db *DB) SubmitReport(ctx context.Context, a *opstap.Actor, reportID string) error {
	return db.withReport(ctx, a, reportID, opstap.Write, PurposeGuidance, func(rt *reportTx, r *dossier.Report) (string, error) {
		cur := r.Current()
		if err := cur.CheckSubmittable(); err != nil {
			return "", err
		}
		if _, err := rt.tx.exec(ctx, `UPDATE report_versions SET status = ?, submitted_at = ? WHERE report_id = ? AND version = ?`,
			dossier.StatusSubmitted, rt.tx.Now(), r.ID, cur.Version); err != nil {
			return "", err
		}
		if err := rt.notifyCandidate(ctx, NoticeReportAwaitingApproval); err != nil {
			return "", err
		}
		return "report " + r.ID + " v" + strconv.Itoa(cur.Version) + " submitted", nil
	})
}

// notifyCandidate tells the candidate through their portal account, if
// they have one.
func (rt *reportTx) notifyCandidate(ctx context.Context, kind string) error {
	var uid sql.NullString
	if err := rt.tx.queryRow(ctx, `SELECT user_id FROM candidates WHERE id = ?`, rt.cid).Scan(&uid); err != nil {
		return err
	}
	if !uid.Valid || uid.String == "" {
		return nil
	}
	return rt.tx.Notify(ctx, uid.String, kind, "/portal/reports")
}

// ApproveReport records the candidate's approval of exactly the given
// version [000 art 5, 004 "Toestemming kandidaat"]. Approving a version
// that is no longer current, or one already decided, is refused.
func (db *DB) ApproveReport(ctx context.Context, a *opstap.Actor, reportID string, version int) error {
	return db.decideReport(ctx, a, reportID, version, dossier.StatusApproved, "")
}

// CommentReport records the candidate's comment on a version instead of
// an approval; the coach then writes a new version.
func (db *DB) CommentReport(ctx context.Context, a *opstap.Actor, reportID string, version int, comment string) error {
	comment, err := dossier.CheckComment(comment)
	if err != nil {
		return err
	}
	return db.decideReport(ctx, a, reportID, version, dossier.StatusCommented, comment)
}

func (db *DB) decideReport(ctx context.Context, a *opstap.Actor, reportID string, version int, status, comment string) error {
	return db.withReport(ctx, a, reportID, opstap.Read, PurposeSelf, func(rt *reportTx, r *dossier.Report) (string, error) {
		if rt.d.Relation != access.RelationSelf {
			return "", opstap.Errorf(opstap.EFORBIDDEN, "only the candidate can approve or comment on their report")
		}
		if err := dossier.CheckDecidable(r, version); err != nil {
			return "", err
		}
		var ct []byte
		if comment != "" {
			var err error
			if ct, err = rt.seal(r.ID, version, "comment", comment); err != nil {
				return "", err
			}
		}
		if _, err := rt.tx.exec(ctx, `UPDATE report_versions SET status = ?, decided_at = ?, comment_ct = ? WHERE report_id = ? AND version = ?`,
			status, rt.tx.Now(), ct, r.ID, version); err != nil {
			return "", err
		}
		// The coach who wrote it hears of the answer in the app.
		event := HappenedReportCommented
		if status == dossier.StatusApproved {
			event = HappenedReportApproved
		}
		if err := rt.tx.NotifyEvent(ctx, r.CreatedBy, NoticeReportDecided, event, "/candidates/"+rt.cid+"/reports"); err != nil {
			return "", err
		}
		return "report " + r.ID + " v" + strconv.Itoa(version) + " " + status, nil
	})
}

// Reports returns the candidate's reports with every version and sharing,
// as the policy allows. A candidate does not see drafts: only what was put
// before them.
func (db *DB) Reports(ctx context.Context, a *opstap.Actor, candidateID string) ([]dossier.Report, error) {
	var out []dossier.Report
	purpose := PurposeGuidance
	if a != nil && a.Has(opstap.RoleCandidate, opstap.Read) {
		purpose = PurposeSelf
	}
	err := db.withCandidate(ctx, a, candidateID, opstap.Read, purpose, func(rt *reportTx) (string, error) {
		ids, err := rt.reportIDs(ctx)
		if err != nil {
			return "", err
		}
		for _, id := range ids {
			r, err := rt.load(ctx, id)
			if err != nil {
				return "", err
			}
			if rt.d.Relation == access.RelationSelf {
				r.Versions = slices.DeleteFunc(r.Versions, func(v dossier.ReportVersion) bool { return v.Status == dossier.StatusDraft })
				if len(r.Versions) == 0 {
					continue
				}
			}
			out = append(out, *r)
		}
		return "", nil
	})
	return out, err
}

func (rt *reportTx) reportIDs(ctx context.Context) ([]string, error) {
	rows, err := rt.tx.tx.QueryContext(ctx, rt.tx.db.rebind(`SELECT id FROM reports WHERE candidate_id = ? ORDER BY created_at DESC, id`), rt.cid)
	var ids []string
	if err := each(rows, err, func(rows scanner) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}); err != nil {
		return nil, err
	}
	return ids, nil
}

// load reads a report of the transaction's candidate with its versions and
// sharings, opened.
func (rt *reportTx) load(ctx context.Context, id string) (*dossier.Report, error) {
	r := &dossier.Report{ID: id}
	err := rt.tx.queryRow(ctx, `SELECT candidate_id, kind, current_version, created_by, created_at FROM reports WHERE id = ? AND candidate_id = ?`, id, rt.cid).
		Scan(&r.CandidateID, &r.Kind, &r.CurrentVersion, &r.CreatedBy, scanTime(&r.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoReport
	} else if err != nil {
		return nil, err
	}
	if r.Versions, err = rt.versions(ctx, id); err != nil {
		return nil, err
	}
	r.Sharings, err = rt.sharings(ctx, `s.report_id = ?`, id)
	return r, err
}

func (rt *reportTx) versions(ctx context.Context, id string) ([]dossier.ReportVersion, error) {
	rows, err := rt.tx.tx.QueryContext(ctx, rt.tx.db.rebind(`SELECT version, status, content_ct, health_data, written_by, written_at, submitted_at, decided_at, comment_ct
		FROM report_versions WHERE report_id = ? ORDER BY version DESC`), id)
	var out []dossier.ReportVersion
	if err := each(rows, err, func(rows scanner) error {
		var v dossier.ReportVersion
		var content, comment []byte
		if err := rows.Scan(&v.Version, &v.Status, &content, &v.HealthData, &v.WrittenBy, scanTime(&v.WrittenAt), scanNullTime(&v.SubmittedAt), scanNullTime(&v.DecidedAt), &comment); err != nil {
			return err
		}
		if err := rt.open(id, v.Version, "content", content, &v.Content); err != nil {
			return err
		}
		if err := rt.open(id, v.Version, "comment", comment, &v.Comment); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
