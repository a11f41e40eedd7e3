package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/vault"
)

// Rights requests carried out by the system [001 "af te schermen"; 002
// art 7.2]. While handling a rectification request the privacy officer
// records the corrected values; once it is granted, the assigned coach is
// notified and confirms the change on the request page, which writes it
// through the normal category write (policy, audit). While handling a
// screening request the privacy officer records the categories; granting
// it screens them off at once. The rules are internal/privacy's.

// NoticeRectification tells the coach a granted rectification waits for
// their confirmation. The line itself names nothing.
const NoticeRectification = "rectification_to_apply"

func init() {
	noticeTexts[NoticeRectification] = struct{ Text string }{"A granted correction of a candidate's data waits for you in Opstap."}
}

// RightsChange is what a rectification or screening request changes.
type RightsChange struct {
	RequestID     string                 `json:"request_id"`
	Kind          privacy.RightsKind     `json:"kind"`
	Status        privacy.RightsStatus   `json:"status"`
	CandidateID   string                 `json:"candidate_id"`
	Rectification *privacy.Rectification `json:"rectification,omitempty"`
	Screen        []opstap.Category      `json:"screen,omitempty"`
	AppliedAt     *time.Time             `json:"applied_at,omitempty"`
	// Current is the category's data now, for the reader who may see it
	// (filled by RightsChangeToApply).
	Current any `json:"current,omitempty"`
}

var (
	errNoChange      = opstap.Errorf(opstap.ENOTFOUND, "nothing to carry out was recorded for this request")
	errChangeKind    = opstap.Errorf(opstap.ECONFLICT, "only a rectification or screening request changes data")
	errNotGranted    = opstap.Errorf(opstap.ECONFLICT, "the change is carried out once the request is granted")
	errApplied       = opstap.Errorf(opstap.ECONFLICT, "this change was already carried out")
	errNoRectified   = opstap.FieldError("values", "record the corrected values before granting the request")
	errNoScreenScope = opstap.FieldError("categories", "record the data to screen off before granting the request")
)

func changeAAD(candidateID, requestID string) string {
	return rightsAAD(candidateID, requestID, "change")
}

// SetRectification records the corrected values of an open rectification
// request; only the privacy officer, who handles it.
func (db *DB) SetRectification(ctx context.Context, a *opstap.Actor, requestID string, rc privacy.Rectification) (*RightsChange, error) {
	if err := rc.Validate(); err != nil {
		return nil, err
	}
	if _, err := validateRectified(rc.Category, rc.Values); err != nil {
		return nil, err
	}
	return db.setChange(ctx, a, requestID, privacy.RightRectification, func(tx *Tx, dk vault.DataKey, r *RightsRequest) error {
		plain, err := json.Marshal(rc)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO rights_changes (request_id, category, proposed, set_by, set_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (request_id) DO UPDATE SET category = excluded.category, proposed = excluded.proposed, set_by = excluded.set_by, set_at = excluded.set_at`,
			r.ID, string(rc.Category), dk.Seal(plain, changeAAD(r.CandidateID, r.ID)), actorID(a), tx.Now())
		return err
	})
}

// validateRectified checks that the fields exist in the category; whether
// the values pass its rules is decided on the data they correct.
func validateRectified(cat opstap.Category, values map[string]string) (any, error) {
	v, err := categoryValue(cat)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(values)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, opstap.FieldError("values", "a field does not exist in this category or takes no text")
	}
	return v, nil
}

// SetScreening records the categories an open screening request screens
// off; only the privacy officer.
func (db *DB) SetScreening(ctx context.Context, a *opstap.Actor, requestID string, cats []opstap.Category) (*RightsChange, error) {
	if err := privacy.ValidateScreening(cats); err != nil {
		return nil, err
	}
	return db.setChange(ctx, a, requestID, privacy.RightScreening, func(tx *Tx, _ vault.DataKey, r *RightsRequest) error {
		_, err := tx.exec(ctx, `INSERT INTO rights_changes (request_id, categories, set_by, set_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (request_id) DO UPDATE SET categories = excluded.categories, set_by = excluded.set_by, set_at = excluded.set_at`,
			r.ID, joinCategories(privacy.Union(nil, cats)), actorID(a), tx.Now())
		return err
	})
}

func (db *DB) setChange(ctx context.Context, a *opstap.Actor, requestID string, kind privacy.RightsKind, fn func(*Tx, vault.DataKey, *RightsRequest) error) (*RightsChange, error) {
	var out *RightsChange
	_, err := db.withRights(ctx, a, requestID, access.RightsHandle, func(tx *Tx, dk vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		if r.Kind != kind {
			return "", errChangeKind
		}
		if err := privacy.CheckOpen(r.Status); err != nil {
			return "", err
		}
		if err := fn(tx, dk, r); err != nil {
			return "", err
		}
		var err error
		out, err = tx.rightsChange(ctx, dk, r)
		return "rights request " + r.ID + ": change recorded", err
	})
	return out, err
}

// rightsChange loads the recorded change of a request.
func (tx *Tx) rightsChange(ctx context.Context, dk vault.DataKey, r *RightsRequest) (*RightsChange, error) {
	c := &RightsChange{RequestID: r.ID, Kind: r.Kind, Status: r.Status, CandidateID: r.CandidateID}
	var cat, cats string
	var proposed []byte
	err := tx.queryRow(ctx, `SELECT category, categories, proposed, applied_at FROM rights_changes WHERE request_id = ?`, r.ID).
		Scan(&cat, &cats, &proposed, scanNullTime(&c.AppliedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	} else if err != nil {
		return nil, err
	}
	c.Screen = splitCategories(cats)
	if proposed != nil {
		plain, err := dk.Open(proposed, changeAAD(r.CandidateID, r.ID))
		if err != nil {
			return nil, err
		}
		c.Rectification = &privacy.Rectification{}
		if err := json.Unmarshal(plain, c.Rectification); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// changeOf loads the recorded change of a request with the candidate's key.
func (tx *Tx) changeOf(ctx context.Context, r *RightsRequest) (*RightsChange, error) {
	dk, err := tx.dataKey(ctx, r.CandidateID)
	if err != nil {
		return nil, err
	}
	return tx.rightsChange(ctx, dk, r)
}

// FindRightsChange returns what a request changes, for the privacy
// officer and the candidate (the rights procedure's rule).
func (db *DB) FindRightsChange(ctx context.Context, a *opstap.Actor, requestID string) (*RightsChange, error) {
	var out *RightsChange
	_, err := db.withRights(ctx, a, requestID, access.RightsRead, func(tx *Tx, dk vault.DataKey, _ access.Decision, r *RightsRequest) (string, error) {
		var err error
		out, err = tx.rightsChange(ctx, dk, r)
		return "rights request " + r.ID + ": change read", err
	})
	return out, err
}

// grantedRectification loads a request and its change for carrying it
// out, outside the rights procedure's rule: whoever carries it out needs
// the category write the policy gives, which the caller then asks.
func (tx *Tx) grantedRectification(ctx context.Context, requestID string) (*RightsChange, vault.DataKey, error) {
	ss, err := tx.rightsRows(ctx, `q.id = ?`, requestID)
	if err != nil {
		return nil, vault.DataKey{}, err
	}
	if len(ss) == 0 {
		return nil, vault.DataKey{}, errNoRightsRequest
	}
	r := &ss[0].r
	switch {
	case r.Kind != privacy.RightRectification:
		return nil, vault.DataKey{}, errChangeKind
	case r.Status != privacy.RightsGranted && r.Status != privacy.RightsPartlyGranted:
		return nil, vault.DataKey{}, errNotGranted
	}
	dk, err := tx.dataKey(ctx, r.CandidateID)
	if err != nil {
		return nil, vault.DataKey{}, err
	}
	c, err := tx.rightsChange(ctx, dk, r)
	if err != nil {
		return nil, vault.DataKey{}, err
	}
	if c.Rectification == nil {
		return nil, vault.DataKey{}, errNoChange
	}
	return c, dk, nil
}

// RightsChangeToApply shows a granted rectification with the category's
// current data, to the staff member who may write that category (the
// assigned coach): the read goes through the policy and is logged.
func (db *DB) RightsChangeToApply(ctx context.Context, a *opstap.Actor, requestID string) (*RightsChange, error) {
	var out *RightsChange
	err := db.WithTx(ctx, func(tx *Tx) error {
		c, dk, err := tx.grantedRectification(ctx, requestID)
		if err != nil {
			return err
		}
		_, s, err := tx.candidateSubject(ctx, c.CandidateID)
		if err != nil {
			return err
		}
		cat := c.Rectification.Category
		d, err := db.decide(ctx, a, s, cat, opstap.Write, PurposeRights, "")
		if err != nil {
			return err
		}
		if c.Current, err = categoryValue(cat); err != nil {
			return err
		}
		if found, err := tx.getCategory(ctx, dk, c.CandidateID, cat, c.Current); err != nil {
			return err
		} else if !found {
			c.Current = nil
		}
		out = c
		return tx.Audit(ctx, candidateEntry(a, d, c.CandidateID, cat, opstap.Read, PurposeRights))
	})
	return out, err
}

// ApplyRectification carries out a granted rectification: the corrected
// values go into the category through the normal category write, so the
// policy decides (the assigned coach may; the privacy officer may not
// write dossier data) and the change is logged like any other, naming the
// request. It runs once.
func (db *DB) ApplyRectification(ctx context.Context, a *opstap.Actor, requestID string) (*RightsChange, error) {
	var out *RightsChange
	err := db.WithTx(ctx, func(tx *Tx) error {
		c, dk, err := tx.grantedRectification(ctx, requestID)
		if err != nil {
			return err
		}
		if c.AppliedAt != nil {
			return errApplied
		}
		rc := c.Rectification
		var current json.RawMessage
		if _, err := tx.getCategory(ctx, dk, c.CandidateID, rc.Category, &current); err != nil {
			return err
		}
		merged, err := rc.Apply(current)
		if err != nil {
			return err
		}
		v, err := validateCategory(rc.Category, merged, opstap.DateOf(tx.Now()))
		if err != nil {
			return err
		}
		e, err := tx.writeCategory(ctx, a, c.CandidateID, rc.Category, v, PurposeRights)
		if err != nil {
			return err
		}
		now := tx.Now()
		if _, err := tx.exec(ctx, `UPDATE rights_changes SET applied_at = ?, applied_by = ? WHERE request_id = ? AND applied_at IS NULL`, now, actorID(a), requestID); err != nil {
			return err
		}
		c.AppliedAt, out = &now, c
		e.Detail = "rectification request " + requestID + " carried out"
		return tx.Audit(ctx, e)
	})
	if out != nil {
		db.afterCategoryWrite(ctx, err, out.CandidateID, out.Rectification.Category)
	}
	return out, err
}

// screen carries out a granted screening: the recorded categories are
// screened off at once, for everyone but the candidate.
func (db *DB) screen(ctx context.Context, a *opstap.Actor, r *RightsRequest) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		c, err := tx.changeOf(ctx, r)
		if err != nil {
			return err
		}
		if len(c.Screen) == 0 {
			return errNoScreenScope
		}
		cand, _, err := tx.candidateSubject(ctx, r.CandidateID)
		if err != nil {
			return err
		}
		now := tx.Now()
		if _, err := tx.exec(ctx, `UPDATE candidates SET screened = ? WHERE id = ?`, joinCategories(privacy.Union(cand.Screened, c.Screen)), r.CandidateID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE rights_changes SET applied_at = ?, applied_by = ? WHERE request_id = ?`, now, actorID(a), r.ID); err != nil {
			return err
		}
		e := rightsEntry(a, access.Decision{Role: opstap.RolePrivacyOfficer}, r.CandidateID, true)
		e.Detail = "screening request " + r.ID + " carried out: " + joinCategories(c.Screen)
		return tx.Audit(ctx, e)
	})
}

// awaitRectification checks a granted rectification has its values and
// tells the candidate's coach, who confirms it on the request page.
func (db *DB) awaitRectification(ctx context.Context, r *RightsRequest) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		c, err := tx.changeOf(ctx, r)
		if err != nil {
			return err
		}
		if c.Rectification == nil {
			return errNoRectified
		}
		_, s, err := tx.candidateSubject(ctx, r.CandidateID)
		if err != nil || s.CoachUserID == "" {
			return err
		}
		return tx.Notify(ctx, s.CoachUserID, NoticeRectification, RectificationLink(r.ID))
	})
}

// RectificationLink is the page where a granted rectification is
// confirmed.
func RectificationLink(requestID string) string { return "/privacy/requests/" + requestID + "/change" }
