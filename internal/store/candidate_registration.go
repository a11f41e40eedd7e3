package store

import (
	"context"
	"encoding/json"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/vault"
)

// RegisterCandidate registers one candidate (aanmelding) and returns it.
// A second registration with the same commissioner and external reference
// is a conflict.
func (db *DB) RegisterCandidate(ctx context.Context, a *opstap.Actor, r candidate.Registration) (*candidate.Candidate, error) {
	if !can(a, access.RegisterCandidates) {
		return nil, forbidden()
	}
	r.OwnCommissioner(a)
	if err := r.Validate(opstap.DateOf(db.Now())); err != nil {
		return nil, err
	}
	r.GuidedBy(a)
	var c *candidate.Candidate
	var rg *registrar
	err := db.WithTx(ctx, func(tx *Tx) error {
		rg = tx.newRegistrar(a)
		var err error
		if c, err = rg.add(ctx, r); err != nil {
			return err
		}
		if c == nil {
			return &opstap.Error{Code: opstap.ECONFLICT, Field: "external_ref", Message: "a candidate with this external reference is already registered"}
		}
		if err := rg.flush(ctx); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT client_number FROM candidates WHERE id = ?`, c.ID).Scan(&c.Number)
	})
	if err != nil {
		if lerr := db.logRevealed(ctx, rg); lerr != nil {
			return nil, lerr
		}
	}
	return c, err
}

// registrar registers candidates within one transaction. It checks each
// commissioner, coach and set of known references once, builds every row
// in memory and inserts them in multi-row statements at flush, so a bulk
// file costs a few dozen statements rather than a dozen per candidate.
type registrar struct {
	tx        *Tx
	a         *opstap.Actor
	by        string
	orgs      map[string]error
	coaches   map[string]error
	postcodes map[string]error           // four-digit area → its check (checkPostcode)
	existing  map[string]map[string]bool // commissioner → external refs known
	keys      rowBatch
	cands     rowBatch
	data      rowBatch
	search    rowBatch
	facts     rowBatch          // figure_registrations (figures_facts.go)
	cbs       map[string]string // commissioner → CBS code, "" when no municipality
	entries   []audit.Entry
	bsns      map[string]bool // commissioner + BSN term registered in this batch (duplicates.go)
	revealed  []audit.Entry   // what refused duplicates revealed, logged after the rollback
}

func (tx *Tx) newRegistrar(a *opstap.Actor) *registrar {
	by := a.UserID
	if by == "" {
		by = "system"
	}
	return &registrar{tx: tx, a: a, by: by, orgs: map[string]error{}, coaches: map[string]error{}, postcodes: map[string]error{}, existing: map[string]map[string]bool{},
		keys:   rowBatch{table: "candidate_keys", cols: []string{"candidate_id", "key_version", "wrapped_key", "created_at"}},
		cands:  rowBatch{table: "candidates", cols: []string{"id", "commissioner_org_id", "coach_user_id", "external_ref", "postcode4", "registered_on", "created_at"}},
		data:   rowBatch{table: "candidate_data", cols: []string{"candidate_id", "category", "ciphertext", "updated_at", "updated_by"}},
		search: rowBatch{table: "candidate_search", cols: []string{"term", "candidate_id"}},
		facts:  newFactsBatch(), cbs: map[string]string{}, bsns: map[string]bool{},
	}
}

// known reports whether the commissioner registered ref before (or
// earlier in this batch).
func (rg *registrar) known(ctx context.Context, org, ref string) (bool, error) {
	refs, ok := rg.existing[org]
	if !ok {
		refs = map[string]bool{}
		rows, err := rg.tx.tx.QueryContext(ctx, rg.tx.db.rebind(`SELECT external_ref FROM candidates WHERE commissioner_org_id = ? AND external_ref <> ''`), org)
		if err := each(rows, err, func(rows scanner) error {
			var r string
			if err := rows.Scan(&r); err != nil {
				return err
			}
			refs[r] = true
			return nil
		}); err != nil {
			return false, err
		}
		rg.existing[org] = refs
	}
	return ref != "" && refs[ref], nil
}

// checks runs the commissioner and coach checks once per value.
func (rg *registrar) checks(ctx context.Context, r candidate.Registration) error {
	err, ok := rg.orgs[r.CommissionerOrgID]
	if !ok {
		err = rg.tx.checkCommissioner(ctx, rg.a, r.CommissionerOrgID)
		rg.orgs[r.CommissionerOrgID] = err
	}
	if err != nil {
		return err
	}
	if err, ok = rg.coaches[r.CoachUserID]; !ok {
		err = rg.tx.checkCoach(ctx, r.CoachUserID)
		rg.coaches[r.CoachUserID] = err
	}
	if err != nil {
		return err
	}
	code4 := r.Basic.Postcode4()
	if err, ok = rg.postcodes[code4]; !ok {
		err = rg.tx.checkPostcode(ctx, "postcode", code4)
		rg.postcodes[code4] = err
	}
	return err
}

// checkPostcode refuses a four-digit postcode area that is not in the
// reference postcodes (opstap refdata import), naming field; "" (no
// postcode) passes. Before the reference data is loaded only the form is
// checked (candidate.Basic), so that a fresh installation can register.
func (tx *Tx) checkPostcode(ctx context.Context, field, code4 string) error {
	if code4 == "" {
		return nil
	}
	var known, loaded bool
	err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM postcodes WHERE code4 = ?), EXISTS (SELECT 1 FROM postcodes)`, code4).Scan(&known, &loaded)
	if err != nil {
		return err
	}
	if loaded && !known {
		return opstap.FieldError(field, "unknown postcode")
	}
	return nil
}

// add prepares one validated registration; it returns nil (and no error)
// when the commissioner already registered this external reference.
func (rg *registrar) add(ctx context.Context, r candidate.Registration) (*candidate.Candidate, error) {
	if err := rg.checks(ctx, r); err != nil {
		return nil, err
	}
	if dup, err := rg.known(ctx, r.CommissionerOrgID, r.ExternalRef); err != nil || dup {
		return nil, err
	}
	if err := rg.checkBSN(ctx, r); err != nil {
		return nil, err
	}
	rg.existing[r.CommissionerOrgID][r.ExternalRef] = r.ExternalRef != ""
	now := rg.tx.Now()
	c := &candidate.Candidate{ID: newID(), CommissionerOrgID: r.CommissionerOrgID, CoachUserID: r.CoachUserID, ExternalRef: r.ExternalRef,
		Postcode4: r.Basic.Postcode4(), RegisteredOn: r.RegisteredOn, CreatedAt: now}
	dk, wrapped, version, err := rg.tx.db.Keyring.NewDataKey(c.ID)
	if err != nil {
		return nil, err
	}
	rg.keys.add(c.ID, version, wrapped, now)
	var coach any
	if c.CoachUserID != "" {
		coach = c.CoachUserID
	}
	rg.cands.add(c.ID, c.CommissionerOrgID, coach, c.ExternalRef, c.Postcode4, c.RegisteredOn, now)
	if err := rg.addFact(ctx, c, r); err != nil {
		return nil, err
	}
	writes := []struct {
		cat opstap.Category
		v   any
		set bool
	}{
		{opstap.CatBasic, r.Basic, true},
		{opstap.CatBSN, candidate.BSN{Number: r.BSN}, r.BSN != ""},
		{opstap.CatBenefit, candidate.Benefit{Kind: r.BenefitKind, Start: r.BenefitStart}, r.BenefitKind != ""},
	}
	d := access.Decision{Role: access.FirstRole(rg.a)}
	for _, w := range writes {
		if !w.set {
			continue
		}
		plain, err := json.Marshal(w.v)
		if err != nil {
			return nil, err
		}
		rg.data.add(c.ID, string(w.cat), dk.Seal(plain, vault.FieldAAD(c.ID, string(w.cat))), now, rg.by)
		rg.entries = append(rg.entries, candidateEntry(rg.a, d, c.ID, w.cat, opstap.Write, PurposeRegistration))
	}
	seen := map[string]bool{}
	for _, t := range rg.tx.db.searchTerms(r.Basic, r.BSN) {
		if !seen[t] {
			seen[t] = true
			rg.search.add(t, c.ID)
		}
	}
	b := r.Basic
	c.Basic = &b
	return c, nil
}

// flush inserts every prepared row, parents first, then the audit entries.
func (rg *registrar) flush(ctx context.Context) error {
	registered := int64(len(rg.cands.args) / len(rg.cands.cols))
	for _, b := range []*rowBatch{&rg.keys, &rg.cands, &rg.data, &rg.search, &rg.facts} {
		if err := rg.tx.insertBatch(ctx, b); err != nil {
			return err
		}
	}
	if err := rg.tx.numberCandidates(ctx, registered); err != nil {
		return err
	}
	if len(rg.entries) == 0 {
		return nil
	}
	return rg.tx.Audit(ctx, rg.entries...)
}
