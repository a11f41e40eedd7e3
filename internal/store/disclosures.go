package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/privacy"
)

// The register of disclosures required by law [000 art 6; 003 bewerkers
// art 4.2; 004]. The privacy officer keeps it (the same procedure rule as
// rights requests: decideRights); the candidate reads their own entries in
// the portal, except those a legal reason withholds. The rules are
// privacy.Disclosure's; here only storage, sealing and the audit.

// PurposeDisclosure is the processing purpose of the register.
const PurposeDisclosure = "disclosure"

// Disclosure is one entry of the register.
type Disclosure struct {
	ID          string `json:"id"`
	CandidateID string `json:"candidate_id"`
	privacy.Disclosure
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// disclosureSealed are the texts sealed under the candidate's key.
type disclosureSealed struct {
	Requester             string `json:"r"`
	Contact               string `json:"c"`
	LegalBasis            string `json:"l"`
	Verification          string `json:"v"`
	Description           string `json:"d"`
	ControllerNotInformed string `json:"n"`
	CandidateWithheld     string `json:"w"`
}

var errNoDisclosure = opstap.Errorf(opstap.ENOTFOUND, "no such disclosure")

func disclosureAAD(id string) string { return "disclosure/" + id }

func init() {
	// The row stays as proof that the duty was met; its texts go.
	registerErasureStep("disclosure_texts", "disclosures", `UPDATE disclosures SET sealed = NULL WHERE candidate_id = ?`)
}

// RecordDisclosure enters a disclosure in the register. Only the privacy
// officer may; the entry is logged against the candidate for every
// category disclosed.
func (db *DB) RecordDisclosure(ctx context.Context, a *opstap.Actor, candidateID string, in privacy.Disclosure) (*Disclosure, error) {
	if err := in.Validate(opstap.DateOf(db.Now())); err != nil {
		return nil, err
	}
	out := &Disclosure{ID: newID(), CandidateID: candidateID, Disclosure: in}
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, access.RightsHandle)
		if err != nil {
			return err
		}
		out.RecordedBy, out.RecordedAt, out.UpdatedAt = a.UserID, tx.Now(), tx.Now()
		sealed, err := tx.sealDisclosure(ctx, out)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO disclosures (id, candidate_id, avg_ground, categories, disclosed_on, controller_informed_on, candidate_informed_on,
			candidate_withheld, sealed, recorded_by, recorded_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, candidateID, string(in.Ground), joinCategories(in.Categories), in.DisclosedOn, in.ControllerInformedOn, in.CandidateInformedOn,
			in.CandidateWithheld != "", sealed, out.RecordedBy, out.RecordedAt, out.UpdatedAt); err != nil {
			return err
		}
		return tx.Audit(ctx, disclosureEntries(a, d, out, "recorded disclosure ")...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// disclosureEntries log a change of the register per category disclosed.
func disclosureEntries(a *opstap.Actor, d access.Decision, x *Disclosure, what string) []audit.Entry {
	es := make([]audit.Entry, 0, len(x.Categories))
	for _, c := range x.Categories {
		e := candidateEntry(a, d, x.CandidateID, c, opstap.Write, PurposeDisclosure)
		e.Detail = what + x.ID
		es = append(es, e)
	}
	return es
}

func (tx *Tx) sealDisclosure(ctx context.Context, x *Disclosure) ([]byte, error) {
	dk, err := tx.dataKey(ctx, x.CandidateID)
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(disclosureSealed{Requester: x.Requester, Contact: x.Contact, LegalBasis: x.LegalBasis, Verification: x.Verification,
		Description: x.Description, ControllerNotInformed: x.ControllerNotInformed, CandidateWithheld: x.CandidateWithheld})
	if err != nil {
		return nil, err
	}
	return sealer{dk, x.CandidateID}.sealRequired(disclosureAAD(x.ID), string(plain)), nil
}

// InformOfDisclosure records that the candidate was informed of a
// disclosure on the day; it lifts a withholding whose reason has passed.
func (db *DB) InformOfDisclosure(ctx context.Context, a *opstap.Actor, id string, on opstap.Date) (*Disclosure, error) {
	var x *Disclosure
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if x, err = tx.disclosure(ctx, id); err != nil {
			return err
		}
		_, s, err := tx.candidateSubject(ctx, x.CandidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, access.RightsHandle)
		if err != nil {
			return err
		}
		if err := x.Inform(on, opstap.DateOf(tx.Now())); err != nil {
			return err
		}
		x.UpdatedAt = tx.Now()
		sealed, err := tx.sealDisclosure(ctx, x)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE disclosures SET candidate_informed_on = ?, candidate_withheld = ?, sealed = ?, updated_at = ? WHERE id = ?`,
			x.CandidateInformedOn, false, sealed, x.UpdatedAt, id); err != nil {
			return err
		}
		return tx.Audit(ctx, disclosureEntries(a, d, x, "candidate informed of disclosure ")...)
	})
	return x, err
}

const disclosureColumns = `id, candidate_id, avg_ground, categories, disclosed_on, controller_informed_on, candidate_informed_on, sealed, recorded_by, recorded_at, updated_at`

// scanDisclosures reads rows and opens their texts with each candidate's
// key; an erased candidate's texts stay empty.
func (tx *Tx) scanDisclosures(ctx context.Context, where string, args ...any) ([]*Disclosure, error) {
	type row struct {
		x      *Disclosure
		sealed []byte
	}
	var rs []row
	err := tx.eachRow(ctx, `SELECT `+disclosureColumns+` FROM disclosures WHERE `+where+` ORDER BY disclosed_on DESC, recorded_at DESC, id`, args, func(rows scanner) error {
		var r row
		r.x = &Disclosure{}
		var cats string
		err := rows.Scan(&r.x.ID, &r.x.CandidateID, &r.x.Ground, &cats, &r.x.DisclosedOn, &r.x.ControllerInformedOn, &r.x.CandidateInformedOn,
			&r.sealed, &r.x.RecordedBy, scanTime(&r.x.RecordedAt), scanTime(&r.x.UpdatedAt))
		r.x.Categories = splitCategories(cats)
		rs = append(rs, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Disclosure, 0, len(rs))
	for _, r := range rs {
		if r.sealed != nil {
			if err := tx.openDisclosure(ctx, r.x, r.sealed); err != nil {
				return nil, err
			}
		}
		out = append(out, r.x)
	}
	return out, nil
}

func (tx *Tx) openDisclosure(ctx context.Context, x *Disclosure, ct []byte) error {
	dk, err := tx.dataKey(ctx, x.CandidateID)
	if err != nil {
		return err
	}
	plain, err := sealer{dk, x.CandidateID}.open(disclosureAAD(x.ID), ct)
	if err != nil {
		return err
	}
	var s disclosureSealed
	if err := json.Unmarshal([]byte(plain), &s); err != nil {
		return err
	}
	x.Requester, x.Contact, x.LegalBasis, x.Verification = s.Requester, s.Contact, s.LegalBasis, s.Verification
	x.Description, x.ControllerNotInformed, x.CandidateWithheld = s.Description, s.ControllerNotInformed, s.CandidateWithheld
	return nil
}

func (tx *Tx) disclosure(ctx context.Context, id string) (*Disclosure, error) {
	xs, err := tx.scanDisclosures(ctx, `id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, errNoDisclosure
	}
	return xs[0], nil
}

// FindDisclosures lists the whole register, newest first: the privacy
// officer's view. Reading it is logged per candidate listed.
func (db *DB) FindDisclosures(ctx context.Context, a *opstap.Actor) ([]*Disclosure, error) {
	if a == nil || !access.IsPrivacyOfficer(a, false) {
		return nil, forbidden()
	}
	var out []*Disclosure
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if out, err = tx.scanDisclosures(ctx, `1 = 1`); err != nil {
			return err
		}
		seen := map[string]bool{}
		var es []audit.Entry
		for _, x := range out {
			if !seen[x.CandidateID] {
				seen[x.CandidateID] = true
				e := candidateEntry(a, access.Decision{Role: opstap.RolePrivacyOfficer}, x.CandidateID, opstap.CatNotes, opstap.Read, PurposeDisclosure)
				e.Detail = "read disclosure register"
				es = append(es, e)
			}
		}
		return tx.Audit(ctx, es...)
	})
	return out, err
}

// CandidateDisclosures lists one candidate's disclosures. The privacy
// officer sees all of them; the candidate sees those no legal reason
// withholds from them, without the staff's internal reasons.
func (db *DB) CandidateDisclosures(ctx context.Context, a *opstap.Actor, candidateID string) ([]*Disclosure, error) {
	var out []*Disclosure
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, access.RightsRead)
		if err != nil {
			return err
		}
		xs, err := tx.scanDisclosures(ctx, `candidate_id = ?`, candidateID)
		if err != nil {
			return err
		}
		if d.Relation == access.RelationSelf {
			xs = forCandidate(xs)
		}
		out = xs
		e := candidateEntry(a, d, candidateID, opstap.CatNotes, opstap.Read, PurposeDisclosure)
		e.Detail = "read disclosures"
		return tx.Audit(ctx, e)
	})
	return out, err
}

// forCandidate keeps what the candidate may know: no withheld entries, no
// staff notes on how the request was checked.
func forCandidate(xs []*Disclosure) []*Disclosure {
	out := make([]*Disclosure, 0, len(xs))
	for _, x := range xs {
		if x.CandidateMayKnow() {
			x.Contact, x.Verification, x.ControllerNotInformed, x.RecordedBy = "", "", "", ""
			out = append(out, x)
		}
	}
	return out
}

// knownDisclosures are the recipients an access export names [AVG art
// 15(1)(c)]: the export goes to the candidate, so a withheld disclosure
// stays out of it.
func (tx *Tx) knownDisclosures(ctx context.Context, id string) ([]*Disclosure, error) {
	xs, err := tx.scanDisclosures(ctx, `candidate_id = ?`, id)
	return forCandidate(xs), err
}

// FindDisclosure returns one entry for the privacy officer.
func (db *DB) FindDisclosure(ctx context.Context, a *opstap.Actor, id string) (*Disclosure, error) {
	var x *Disclosure
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if x, err = tx.disclosure(ctx, id); err != nil {
			return err
		}
		_, s, err := tx.candidateSubject(ctx, x.CandidateID)
		if err != nil && !errors.Is(err, errNoCandidate) {
			return err
		}
		if !access.IsPrivacyOfficer(a, false) {
			_, err := decideRights(a, s, access.RightsHandle)
			return err
		}
		e := candidateEntry(a, access.Decision{Role: opstap.RolePrivacyOfficer}, x.CandidateID, opstap.CatNotes, opstap.Read, PurposeDisclosure)
		e.Detail = "read disclosure " + id
		return tx.Audit(ctx, e)
	})
	return x, err
}
