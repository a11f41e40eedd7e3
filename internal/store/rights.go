package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/vault"
)

// Data subject rights (DOMAIN.md §4) [001 "De rechten van de cliënten";
// 002 art 7; 004 "Inzagerecht"]: a candidate asks to see, correct or
// complete, restrict, erase, object to or screen off their data; the
// privacy officer answers within the AVG's month, once extendable by two
// months, and a refusal is answered in writing with reasons.

// The procedure's types and rules are internal/privacy's (requests.go);
// the store keeps the requests.

// PurposeRights is the audit purpose of handling a rights request.
const PurposeRights = "rights_request"

// NoticeRightsUpdate tells the candidate their request moved: extended or
// answered. The line itself names nothing.
const NoticeRightsUpdate = "rights_request_update"

// rightsLink is where the candidate follows their requests.
const rightsLink = "/portal/rights"

func init() {
	noticeTexts[NoticeRightsUpdate] = struct{ Text string }{"There is news about your privacy request in Opstap."}
}

// RightsRequest is one request with its texts opened.
type RightsRequest struct {
	ID              string               `json:"id"`
	CandidateID     string               `json:"candidate_id"`
	CandidateName   string               `json:"candidate_name,omitempty"`
	Kind            privacy.RightsKind   `json:"kind"`
	Status          privacy.RightsStatus `json:"status"`
	Description     string               `json:"description,omitempty"`
	ReceivedOn      opstap.Date          `json:"received_on"`
	DueOn           opstap.Date          `json:"due_on"`
	Overdue         bool                 `json:"overdue"`
	ExtendedAt      *time.Time           `json:"extended_at,omitempty"`
	ExtensionReason string               `json:"extension_reason,omitempty"`
	HandlerUserID   string               `json:"handler_user_id,omitempty"`
	HandlerName     string               `json:"handler_name,omitempty"`
	Answer          string               `json:"answer,omitempty"`
	AnsweredOn      opstap.Date          `json:"answered_on,omitempty"`
	FiledBy         string               `json:"filed_by,omitempty"`
	CreatedAt       time.Time            `json:"created_at"`
	UpdatedAt       time.Time            `json:"updated_at"`
}

// Extended reports whether the deadline was extended.
func (r *RightsRequest) Extended() bool { return r.ExtendedAt != nil }

// refresh sets the derived fields for today.
func (r *RightsRequest) refresh(today opstap.Date) {
	r.Overdue = privacy.RightsOverdue(r.Status, r.DueOn, today)
}

// forCandidate hides the office's internals from the candidate's own view.
func (r *RightsRequest) forCandidate() { r.HandlerUserID, r.HandlerName, r.FiledBy = "", "", "" }

// Refusals of the rights procedure; stable English message keys.
var (
	errNoRightsRequest = opstap.Errorf(opstap.ENOTFOUND, "no such request")
)

// decideRights applies access.DecideRights; a refusal carries its audit entry,
// which WithTx logs after the rollback.
func decideRights(a *opstap.Actor, s access.Subject, act access.RightsAct) (access.Decision, error) {
	d := access.DecideRights(a, s, act)
	if d.Allowed {
		return d, nil
	}
	return d, denyRights(a, d, s.CandidateID, act != access.RightsRead)
}

// denyRights is the refusal d with its audit entry, which WithTx logs
// after the rollback.
func denyRights(a *opstap.Actor, d access.Decision, candidateID string, write bool) error {
	e := rightsEntry(a, d, candidateID, write)
	e.Outcome = audit.OutcomeDenied
	return &deniedError{err: d.Err(), entry: e}
}

// rightsEntry is the audit entry for one access to a candidate's requests:
// they are correspondence, category notes.
func rightsEntry(a *opstap.Actor, d access.Decision, candidateID string, write bool) audit.Entry {
	act := opstap.Read
	if write {
		act = opstap.Write
	}
	return candidateEntry(a, d, candidateID, opstap.CatNotes, act, PurposeRights)
}

// rightsAAD binds each sealed text to its request and field.
func rightsAAD(candidateID, id, field string) string {
	return vault.FieldAAD(candidateID, "rights/"+id+"/"+field)
}

// FileRightsRequest registers a request: by the candidate in the portal
// (received today) or by staff on their behalf with the date it came in.
// The deadline follows from the date of receipt.
func (db *DB) FileRightsRequest(ctx context.Context, a *opstap.Actor, candidateID string, n privacy.NewRightsRequest) (*RightsRequest, error) {
	today := opstap.DateOf(db.Now())
	if err := n.Validate(today); err != nil {
		return nil, err
	}
	var r *RightsRequest
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, access.RightsFile)
		if err != nil {
			return err
		}
		if d.Relation == access.RelationSelf {
			n.ReceivedOn = today
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		r = &RightsRequest{ID: newID(), CandidateID: candidateID, Kind: n.Kind, Status: privacy.RightsReceived, Description: n.Description,
			ReceivedOn: n.ReceivedOn, DueOn: privacy.RightsDue(n.ReceivedOn), FiledBy: actorID(a), CreatedAt: tx.Now(), UpdatedAt: tx.Now()}
		if _, err := tx.exec(ctx, `INSERT INTO rights_requests (id, candidate_id, kind, status, description, received_on, due_on, filed_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, candidateID, string(r.Kind), string(r.Status),
			sealText(dk, r.Description, rightsAAD(candidateID, r.ID, "description")), r.ReceivedOn, r.DueOn, r.FiledBy, r.CreatedAt, r.UpdatedAt); err != nil {
			return err
		}
		if r.Kind == privacy.RightObjection {
			if err := tx.stopCommercialUse(ctx, dk, candidateID, d, r.FiledBy); err != nil {
				return err
			}
		}
		r.refresh(today)
		e := rightsEntry(a, d, candidateID, true)
		e.Detail = "rights request " + r.ID + " filed: " + string(r.Kind)
		return tx.Audit(ctx, e)
	})
	return r, err
}

// sealText seals a typed text; an empty one is stored as NULL.
func sealText(dk vault.DataKey, plain, aad string) []byte {
	if plain == "" {
		return nil
	}
	return dk.Seal([]byte(plain), aad)
}

const rightsColumns = `q.id, q.candidate_id, q.kind, q.status, q.description, q.received_on, q.due_on, q.extended_at, q.extension_reason,
	COALESCE(q.handler_user_id, ''), COALESCE(u.name, ''), q.answer, q.answered_on, q.filed_by, q.created_at, q.updated_at
	FROM rights_requests q LEFT JOIN users u ON u.id = q.handler_user_id`

// sealedRights is a request row with its texts still sealed.
type sealedRights struct {
	r                          RightsRequest
	description, reason, answr []byte
}

func scanRights(row scanner) (*sealedRights, error) {
	var s sealedRights
	r := &s.r
	err := row.Scan(&r.ID, &r.CandidateID, &r.Kind, &r.Status, &s.description, &r.ReceivedOn, &r.DueOn, scanNullTime(&r.ExtendedAt), &s.reason,
		&r.HandlerUserID, &r.HandlerName, &s.answr, &r.AnsweredOn, &r.FiledBy, scanTime(&r.CreatedAt), scanTime(&r.UpdatedAt))
	return &s, err
}

// open unseals the texts with the candidate's key.
func (s *sealedRights) open(dk vault.DataKey) (*RightsRequest, error) {
	r := s.r
	for _, f := range []struct {
		name string
		ct   []byte
		dst  *string
	}{{"description", s.description, &r.Description}, {"extension", s.reason, &r.ExtensionReason}, {"answer", s.answr, &r.Answer}} {
		if len(f.ct) == 0 {
			continue
		}
		plain, err := dk.Open(f.ct, rightsAAD(r.CandidateID, r.ID, f.name))
		if err != nil {
			return nil, err
		}
		*f.dst = string(plain)
	}
	return &r, nil
}

// rightsRows reads the requests matching where, still sealed.
func (tx *Tx) rightsRows(ctx context.Context, where string, args ...any) ([]*sealedRights, error) {
	rows, err := tx.query(ctx, (`SELECT ` + rightsColumns + ` WHERE ` + where + ` ORDER BY q.due_on, q.received_on, q.id`), args...)
	var out []*sealedRights
	if err := each(rows, err, func(rows scanner) error {
		s, err := scanRights(rows)
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

// openRights opens sealed requests of one candidate.
func (tx *Tx) openRights(ctx context.Context, candidateID string, ss []*sealedRights) ([]RightsRequest, error) {
	out := []RightsRequest{}
	if len(ss) == 0 {
		return out, nil
	}
	dk, live, err := tx.rightsKey(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	today := opstap.DateOf(tx.Now())
	for _, s := range ss {
		r := &s.r
		if live {
			if r, err = s.open(dk); err != nil {
				return nil, err
			}
		}
		r.refresh(today)
		out = append(out, *r)
	}
	return out, nil
}

// rightsKey unwraps the candidate's key; live is false once the candidate
// was erased: the request records stay (they prove the request was
// handled) but their texts are shredded with the key.
func (tx *Tx) rightsKey(ctx context.Context, candidateID string) (dk vault.DataKey, live bool, err error) {
	dk, err = tx.dataKey(ctx, candidateID)
	if errors.Is(err, errNoCandidate) {
		return dk, false, nil
	}
	return dk, err == nil, err
}

// withRights loads one request and its candidate, applies the rule for
// act, and runs fn with the opened request; the audit entry, with fn's
// detail, is written last.
func (db *DB) withRights(ctx context.Context, a *opstap.Actor, id string, act access.RightsAct, fn func(tx *Tx, dk vault.DataKey, d access.Decision, r *RightsRequest) (string, error)) (*RightsRequest, error) {
	var out *RightsRequest
	err := db.WithTx(ctx, func(tx *Tx) error {
		ss, err := tx.rightsRows(ctx, `q.id = ?`, id)
		if err != nil {
			return err
		}
		if len(ss) == 0 {
			return errNoRightsRequest
		}
		_, s, err := tx.candidateSubject(ctx, ss[0].r.CandidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, act)
		if err != nil {
			return err
		}
		dk, live, err := tx.rightsKey(ctx, s.CandidateID)
		switch {
		case err != nil:
			return err
		case !live && act != access.RightsRead:
			return errErased
		case !live:
			out = &ss[0].r
		default:
			if out, err = ss[0].open(dk); err != nil {
				return err
			}
		}
		detail, err := fn(tx, dk, d, out)
		if err != nil {
			return err
		}
		out.refresh(opstap.DateOf(tx.Now()))
		if d.Relation == access.RelationSelf {
			out.forCandidate()
		}
		e := rightsEntry(a, d, s.CandidateID, act != access.RightsRead)
		e.Detail = detail
		return tx.Audit(ctx, e)
	})
	return out, err
}

// FindRightsRequest returns one request, for the privacy officer or the
// candidate themselves; the read is logged.
func (db *DB) FindRightsRequest(ctx context.Context, a *opstap.Actor, id string) (*RightsRequest, error) {
	return db.withRights(ctx, a, id, access.RightsRead, func(tx *Tx, _ vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		return "rights request " + r.ID + " read", tx.rightsCandidateName(ctx, a, r)
	})
}

// rightsCandidateName adds the candidate's name for staff whom the general
// policy lets read basic data (the privacy officer does, also while the
// candidate's processing is restricted).
func (tx *Tx) rightsCandidateName(ctx context.Context, a *opstap.Actor, r *RightsRequest) error {
	c, s, err := tx.candidateSubject(ctx, r.CandidateID)
	if err != nil || !access.DecideIdentify(a, s, access.ProcRights).Allowed {
		return err
	}
	dk, live, err := tx.rightsKey(ctx, r.CandidateID)
	if err != nil || !live {
		return err
	}
	c.Basic = &candidate.Basic{}
	if _, err := tx.getCategory(ctx, dk, r.CandidateID, opstap.CatBasic, c.Basic); err != nil {
		return err
	}
	r.CandidateName = c.DisplayName()
	return nil
}

// RightsFilter selects the privacy officer's queue and asks for one page
// of it.
type RightsFilter struct {
	// Status is ListOpen (the default: received or in progress),
	// ListOverdue, ListClosed (answered or withdrawn) or ListAll.
	Status string
	// Query finds one candidate's requests by client number.
	Query string
	// Sort is SortQueue (the default: overdue first, then by deadline),
	// SortNewest or SortOldest (by receipt).
	Paging
}

// rightsQueue is the privacy officer's queue: open while received or in
// progress (privacy.RightsStatus.Closed), due on due_on.
var rightsQueue = queue{open: "q.status IN ('received', 'in_progress')", deadline: "q.due_on", received: "q.received_on", id: "q.id",
	candidate: "q.candidate_id", from: "FROM rights_requests q"}

// RightsQueue is one page of the privacy officer's queue: overdue requests
// first, then by deadline, closed ones last. Descriptions stay sealed here (the detail page opens them); the candidates' names are
// reads of basic data, logged in one batch.
func (db *DB) RightsQueue(ctx context.Context, a *opstap.Actor, f RightsFilter) ([]RightsRequest, Page, error) {
	if !access.IsPrivacyOfficer(a, false) {
		return nil, Page{}, opstap.Errorf(opstap.EFORBIDDEN, access.ReasonRightsRead)
	}
	today := opstap.DateOf(db.Now())
	where, args, err := rightsQueue.where(f.Status, f.Query, today)
	if err != nil {
		return nil, Page{}, err
	}
	var out []RightsRequest
	var pg Page
	err = db.WithTx(ctx, func(tx *Tx) error {
		var ss []*sealedRights
		ss, pg, err = loadPage(ctx, tx, rightsQueue.list(today), where, args, f.Paging, func(in string, inArgs []any) ([]*sealedRights, error) {
			return tx.rightsRows(ctx, in, inArgs...)
		}, func(s *sealedRights) string { return s.r.ID })
		if err != nil {
			return err
		}
		var entries []audit.Entry
		named := map[string]string{}
		for _, s := range ss {
			r := s.r
			r.refresh(today)
			name, ok := named[r.CandidateID]
			if !ok {
				if err := tx.rightsCandidateName(ctx, a, &r); err != nil {
					return err
				}
				name, named[r.CandidateID] = r.CandidateName, r.CandidateName
				entries = append(entries, candidateEntry(a, access.Decision{Role: opstap.RolePrivacyOfficer}, r.CandidateID, opstap.CatBasic, opstap.Read, PurposeRights))
			}
			r.CandidateName = name
			out = append(out, r)
		}
		return tx.Audit(ctx, entries...)
	})
	return out, pg, err
}

// OwnRightsRequests lists the signed-in candidate's requests, newest first,
// with their candidate id.
func (db *DB) OwnRightsRequests(ctx context.Context, a *opstap.Actor) (string, []RightsRequest, error) {
	id, err := db.OwnCandidateID(ctx, a)
	if err != nil {
		return "", nil, err
	}
	rs, err := db.CandidateRightsRequests(ctx, a, id)
	return id, rs, err
}

// CandidateRightsRequests lists one candidate's requests, newest first,
// for the candidate or the privacy officer; the read is logged.
func (db *DB) CandidateRightsRequests(ctx context.Context, a *opstap.Actor, candidateID string) ([]RightsRequest, error) {
	var out []RightsRequest
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, access.RightsRead)
		if err != nil {
			return err
		}
		if out, err = tx.candidateRights(ctx, candidateID); err != nil {
			return err
		}
		for i := range out {
			if d.Relation == access.RelationSelf {
				out[i].forCandidate()
			}
		}
		return tx.Audit(ctx, rightsEntry(a, d, candidateID, false))
	})
	return out, err
}

// candidateRights reads and opens one candidate's requests, newest first.
func (tx *Tx) candidateRights(ctx context.Context, candidateID string) ([]RightsRequest, error) {
	ss, err := tx.rightsRows(ctx, `q.candidate_id = ?`, candidateID)
	if err != nil {
		return nil, err
	}
	out, err := tx.openRights(ctx, candidateID, ss)
	slices.SortStableFunc(out, func(x, y RightsRequest) int { return y.CreatedAt.Compare(x.CreatedAt) })
	return out, err
}
