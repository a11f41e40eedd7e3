package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/vault"
)

// Sharing reports (DOMAIN.md §3): the legal grounds and the consent rules
// are internal/dossier's; the store records each sharing.

// ShareReport sends a version of a report to the candidate's commissioner
// and records it. The rules [000 art 5, 004 "Toestemming kandidaat",
// 002 art 5.1]: under consent, an action plan or extensive report needs
// the candidate's approval of exactly this version and no withdrawal of
// the topic's consent; another legal ground needs an explanation; a brief
// update needs no approval, but the candidate is told; health data needs
// the candidate's written consent and never goes to an employer.
func (db *DB) ShareReport(ctx context.Context, a *opstap.Actor, reportID string, req dossier.ShareRequest) (*dossier.Sharing, error) {
	if err := dossier.CheckGround(req.LegalGround, req.Explanation); err != nil {
		return nil, err
	}
	var out *dossier.Sharing
	err := db.withReport(ctx, a, reportID, opstap.Write, PurposeReporting, func(rt *reportTx, r *dossier.Report) (string, error) {
		v, err := dossier.VersionOf(r, req.Version)
		if err != nil {
			return "", err
		}
		org, err := rt.commissioner(ctx)
		if err != nil {
			return "", err
		}
		if err := dossier.CheckShare(r.Kind, v, org.Kind, req.LegalGround, rt.latest(ctx)); err != nil {
			return "", err
		}
		if err := rt.checkNotShared(ctx, r.ID, v.Version, org.ID); err != nil {
			return "", err
		}
		out = &dossier.Sharing{ReportID: r.ID, Version: v.Version, OrgID: org.ID, OrgName: org.Name, Kind: dossier.ShareWritten,
			LegalGround: req.LegalGround, Explanation: strings.TrimSpace(req.Explanation)}
		if err := rt.insertSharing(ctx, out); err != nil {
			return "", err
		}
		notice := NoticeReportShared
		if r.Kind.ToldAfterwards() {
			notice = NoticeBriefUpdateShared // told afterwards [004 "Toestemming kandidaat"]
		}
		if err := rt.notifyCandidate(ctx, notice); err != nil {
			return "", err
		}
		rt.event = audit.EventExport
		return "sharing " + out.ID + " report " + r.ID + " v" + strconv.Itoa(v.Version) + " to " + org.ID + " under " + out.AVGArticle, nil
	})
	return out, err
}

// latest reads the candidate's current consents for dossier's rules.
func (rt *reportTx) latest(ctx context.Context) dossier.Latest {
	return func(t consent.Topic) (*consent.Record, error) { return rt.tx.latestConsent(ctx, rt.cid, t) }
}

// checkNotShared refuses sending a version the commissioner already has:
// a second copy adds nothing but a second disclosure in the log, and is
// mostly a double click or a mix-up of versions.
func (rt *reportTx) checkNotShared(ctx context.Context, reportID string, version int, orgID string) error {
	var n int
	err := rt.tx.queryRow(ctx, `SELECT COUNT(*) FROM sharings WHERE report_id = ? AND version = ? AND org_id = ? AND kind = 'written'`, reportID, version, orgID).Scan(&n)
	if err == nil && n > 0 {
		err = opstap.Errorf(opstap.ECONFLICT, "this version has already been shared with the commissioner: share a new version if something changed")
	}
	return err
}

type orgRef struct {
	ID, Name string
	Kind     opstap.OrgKind
}

// commissioner is the organisation that commissioned the candidate's
// trajectory: reports go there and nowhere else.
func (rt *reportTx) commissioner(ctx context.Context) (orgRef, error) {
	var o orgRef
	err := rt.tx.queryRow(ctx, `SELECT o.id, o.name, o.kind FROM candidates c JOIN organisations o ON o.id = c.commissioner_org_id WHERE c.id = ?`, rt.cid).Scan(&o.ID, &o.Name, &o.Kind)
	return o, err
}

func (rt *reportTx) insertSharing(ctx context.Context, s *dossier.Sharing) error {
	s.ID, s.CandidateID, s.AVGArticle, s.SharedBy, s.SharedAt = newID(), rt.cid, s.LegalGround.Article(), rt.a.UserID, rt.tx.Now()
	seal := func(field, text string) []byte {
		if text == "" {
			return nil
		}
		return rt.dk.Seal([]byte(text), vault.FieldAAD(rt.cid, "sharing:"+s.ID+":"+field))
	}
	var reportID, version any
	if s.ReportID != "" {
		reportID, version = s.ReportID, s.Version
	}
	_, err := rt.tx.exec(ctx, `INSERT INTO sharings (id, candidate_id, report_id, version, org_id, kind, legal_ground, avg_article, explanation_ct, note_ct, shared_by, shared_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.CandidateID, reportID, version, s.OrgID, s.Kind, string(s.LegalGround), s.AVGArticle, seal("explanation", s.Explanation), seal("note", s.Note), s.SharedBy, s.SharedAt)
	return err
}

// RecordOralReport records that the coach informed the commissioner
// orally: a note in the dossier instead of a PDF [004 "Rapportage naar
// opdrachtgever"], with the legal ground like any sharing.
func (db *DB) RecordOralReport(ctx context.Context, a *opstap.Actor, candidateID string, o dossier.OralReport) (*dossier.Sharing, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var out *dossier.Sharing
	err := db.withCandidate(ctx, a, candidateID, opstap.Write, PurposeReporting, func(rt *reportTx) (string, error) {
		if err := dossier.CheckOral(o.LegalGround, rt.latest(ctx)); err != nil {
			return "", err
		}
		org, err := rt.commissioner(ctx)
		if err != nil {
			return "", err
		}
		out = &dossier.Sharing{OrgID: org.ID, OrgName: org.Name, Kind: dossier.ShareOral, LegalGround: o.LegalGround, Explanation: strings.TrimSpace(o.Explanation), Note: o.Note}
		if err := rt.insertSharing(ctx, out); err != nil {
			return "", err
		}
		rt.event = audit.EventExport
		return "oral report " + out.ID + " to " + org.ID + " under " + out.AVGArticle, nil
	})
	return out, err
}

const sharingColumns = `s.id, s.candidate_id, COALESCE(s.report_id, ''), COALESCE(s.version, 0), s.org_id, o.name, s.kind, s.legal_ground, s.avg_article, s.explanation_ct, s.note_ct, s.shared_by, s.shared_at`

// sharings lists the transaction candidate's sharings matching where.
func (rt *reportTx) sharings(ctx context.Context, where string, args ...any) ([]dossier.Sharing, error) {
	rows, err := rt.tx.tx.QueryContext(ctx, rt.tx.db.rebind(`SELECT `+sharingColumns+` FROM sharings s JOIN organisations o ON o.id = s.org_id
		WHERE s.candidate_id = ? AND `+where+` ORDER BY s.shared_at DESC, s.id`), append([]any{rt.cid}, args...)...)
	var out []dossier.Sharing
	if err := each(rows, err, func(rows scanner) error {
		s, err := scanSharing(rows, rt.dk)
		if err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func scanSharing(row scanner, dk vault.DataKey) (dossier.Sharing, error) {
	var s dossier.Sharing
	var expl, note []byte
	if err := row.Scan(&s.ID, &s.CandidateID, &s.ReportID, &s.Version, &s.OrgID, &s.OrgName, &s.Kind, &s.LegalGround, &s.AVGArticle, &expl, &note, &s.SharedBy, scanTime(&s.SharedAt)); err != nil {
		return s, err
	}
	for _, f := range []struct {
		name string
		ct   []byte
		dst  *string
	}{{"explanation", expl, &s.Explanation}, {"note", note, &s.Note}} {
		if f.ct == nil {
			continue
		}
		plain, err := dk.Open(f.ct, vault.FieldAAD(s.CandidateID, "sharing:"+s.ID+":"+f.name))
		if err != nil {
			return s, err
		}
		*f.dst = string(plain)
	}
	return s, nil
}

// OralReports returns the oral reports recorded for a candidate, for staff.
func (db *DB) OralReports(ctx context.Context, a *opstap.Actor, candidateID string) ([]dossier.Sharing, error) {
	var out []dossier.Sharing
	err := db.withCandidate(ctx, a, candidateID, opstap.Read, PurposeGuidance, func(rt *reportTx) (string, error) {
		var err error
		out, err = rt.sharings(ctx, `s.kind = ?`, dossier.ShareOral)
		return "", err
	})
	return out, err
}

// SharedDocument is a written report as its receiver sees it in the list.
type SharedDocument struct {
	SharingID     string             `json:"sharing_id"`
	CandidateID   string             `json:"candidate_id"`
	CandidateName string             `json:"candidate_name"`
	ReportID      string             `json:"report_id"`
	Version       int                `json:"version"`
	Kind          dossier.ReportKind `json:"kind"`
	Title         string             `json:"title"`
	AVGArticle    string             `json:"avg_article"`
	SharedAt      time.Time          `json:"shared_at"`
}

// SharedWithOrganisation lists the written reports shared with the
// actor's organisation, and nothing else: the commissioner never sees
// drafts or reports that were not sent [000 art 5]. Candidates whose data
// the policy does not let the actor read (another commissioner's, or under
// restriction) are left out.
//
// To a provider's coach it lists what they sent, and what was sent about
// the candidates they coach, so they can account for it [000 art 5].
func (db *DB) SharedWithOrganisation(ctx context.Context, a *opstap.Actor) ([]SharedDocument, error) {
	where, args := `s.org_id = ?`, []any{a.OrgID}
	switch access.SharingSideOf(a) {
	case access.SharingReceiver:
	case access.SharingSender:
		where, args = `(s.shared_by = ? OR s.candidate_id IN (SELECT id FROM candidates WHERE coach_user_id = ?))`, []any{a.UserID, a.UserID}
	default:
		return nil, forbidden()
	}
	var out []SharedDocument
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.sharedRows(ctx, where, args...)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		seen := map[string]bool{}
		for _, r := range rows {
			_, s, err := tx.candidateSubject(ctx, r.CandidateID)
			if err != nil {
				return err
			}
			d := access.DecideSharedDocument(a, s, r.sharedBy)
			if !d.Shows(access.ViewShared) {
				continue
			}
			doc, err := tx.openShared(ctx, r)
			if err != nil {
				return err
			}
			out = append(out, doc)
			if !seen[r.CandidateID] {
				seen[r.CandidateID] = true
				entries = append(entries, candidateEntry(a, d, r.CandidateID, opstap.CatReports, opstap.Read, PurposeReporting))
			}
		}
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// sharedRow is a written sharing joined with its version, still sealed.
type sharedRow struct {
	SharedDocument
	content  []byte
	orgID    string
	sharedBy string
}

func (tx *Tx) sharedRows(ctx context.Context, where string, args ...any) ([]sharedRow, error) {
	rows, err := tx.query(ctx, (`SELECT s.id, s.candidate_id, s.report_id, s.version, r.kind, s.avg_article, s.shared_at, v.content_ct, s.org_id, s.shared_by
		FROM sharings s JOIN reports r ON r.id = s.report_id JOIN report_versions v ON v.report_id = s.report_id AND v.version = s.version
		WHERE s.kind = 'written' AND ` + where + ` ORDER BY s.shared_at DESC, s.id`), args...)
	var out []sharedRow
	if err := each(rows, err, func(rows scanner) error {
		var r sharedRow
		if err := rows.Scan(&r.SharingID, &r.CandidateID, &r.ReportID, &r.Version, &r.Kind, &r.AVGArticle, scanTime(&r.SharedAt), &r.content, &r.orgID, &r.sharedBy); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// openShared opens the title and the candidate's name of a shared row.
func (tx *Tx) openShared(ctx context.Context, r sharedRow) (SharedDocument, error) {
	doc := r.SharedDocument
	dk, err := tx.dataKey(ctx, r.CandidateID)
	if err != nil {
		return doc, err
	}
	rt := &reportTx{tx: tx, dk: dk, cid: r.CandidateID}
	var c dossier.ReportContent
	if err := rt.open(r.ReportID, r.Version, "content", r.content, &c); err != nil {
		return doc, err
	}
	doc.Title = c.Title
	var b candidate.Basic
	if _, err := tx.getCategory(ctx, dk, r.CandidateID, opstap.CatBasic, &b); err != nil {
		return doc, err
	}
	doc.CandidateName = strings.TrimSpace(b.FirstName + " " + b.LastName)
	return doc, nil
}

// SharedReport is everything a PDF of a shared report shows.
type SharedReport struct {
	SharedDocument
	Content      dossier.ReportContent
	Provider     string
	Commissioner string
	DecidedAt    *time.Time
	Status       string
}

// FindSharedReport returns a shared written report for its PDF, to the
// receiving organisation's case manager or to provider staff the policy
// allows (access.DecideSharedDocument: also the coach who sent it); anyone else finds nothing. The download is logged as an export.
func (db *DB) FindSharedReport(ctx context.Context, a *opstap.Actor, sharingID string) (*SharedReport, error) {
	var out *SharedReport
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.sharedRows(ctx, `s.id = ?`, sharingID)
		if err != nil {
			return err
		}
		notFound := opstap.Errorf(opstap.ENOTFOUND, "no such document")
		if len(rows) == 0 || (access.SharingSideOf(a) == access.SharingReceiver && rows[0].orgID != a.OrgID) {
			return notFound
		}
		r := rows[0]
		_, s, err := tx.candidateSubject(ctx, r.CandidateID)
		if err != nil {
			return err
		}
		d := access.DecideSharedDocument(a, s, r.sharedBy)
		if !d.Shows(access.ViewShared) {
			// Everyone else goes the ordinary way, with the file opened
			// with a reason and the denial's audit entry.
			if d, err = db.decideView(ctx, a, s, opstap.CatReports, opstap.Read, PurposeReporting, ""); err != nil {
				return err
			}
		}
		if out, err = tx.sharedReport(ctx, r); err != nil {
			return err
		}
		e := candidateEntry(a, d, r.CandidateID, opstap.CatReports, opstap.Read, PurposeReporting)
		e.Event, e.Detail = audit.EventExport, "pdf of sharing "+sharingID
		return tx.Audit(ctx, e)
	})
	return out, err
}

func (tx *Tx) sharedReport(ctx context.Context, r sharedRow) (*SharedReport, error) {
	doc, err := tx.openShared(ctx, r)
	if err != nil {
		return nil, err
	}
	out := &SharedReport{SharedDocument: doc}
	dk, err := tx.dataKey(ctx, r.CandidateID)
	if err != nil {
		return nil, err
	}
	rt := &reportTx{tx: tx, dk: dk, cid: r.CandidateID}
	if err := rt.open(r.ReportID, r.Version, "content", r.content, &out.Content); err != nil {
		return nil, err
	}
	err = tx.queryRow(ctx, `SELECT status, decided_at FROM report_versions WHERE report_id = ? AND version = ?`, r.ReportID, r.Version).Scan(&out.Status, scanNullTime(&out.DecidedAt))
	if err != nil {
		return nil, err
	}
	if err := tx.queryRow(ctx, `SELECT name FROM organisations WHERE id = ?`, r.orgID).Scan(&out.Commissioner); err != nil {
		return nil, err
	}
	err = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? ORDER BY created_at LIMIT 1`, string(opstap.OrgProvider)).Scan(&out.Provider)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return out, err
}
