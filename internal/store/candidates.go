package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/vault"
)

// Purposes recorded in the audit log with every read and write of a
// candidate's data (AVG art 5(1)(b): purpose limitation).
const (
	PurposeGuidance     = "guidance"     // coaching and re-integration work on the dossier
	PurposeRegistration = "registration" // aanmelding by the commissioner or the provider
	PurposeOverview     = "overview"     // lists of candidates
	PurposeReporting    = "reporting"    // reports to the commissioner
	PurposeSelf         = "self"         // the candidate's own use of the portal
)

var errNoCandidate = opstap.Errorf(opstap.ENOTFOUND, "no such candidate")

const candidateColumns = `c.id, c.commissioner_org_id, COALESCE(c.coach_user_id, ''), COALESCE(c.user_id, ''), c.external_ref, c.postcode4, c.registered_on, c.created_at, c.restricted_at IS NOT NULL, c.screened, COALESCE(c.client_number, 0)`

func scanCandidate(row scanner) (*candidate.Candidate, error) {
	var c candidate.Candidate
	var screened string
	err := row.Scan(&c.ID, &c.CommissionerOrgID, &c.CoachUserID, &c.UserID, &c.ExternalRef, &c.Postcode4, &c.RegisteredOn, scanTime(&c.CreatedAt), &c.Restricted, &screened, &c.Number)
	c.Screened = splitCategories(screened)
	return &c, err
}

// candidateSubject loads the clear part of a candidate and the facts the
// access policy needs.
func (tx *Tx) candidateSubject(ctx context.Context, id string) (*candidate.Candidate, access.Subject, error) {
	c, err := scanCandidate(tx.queryRow(ctx, `SELECT `+candidateColumns+` FROM candidates c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, access.Subject{}, errNoCandidate
	} else if err != nil {
		return nil, access.Subject{}, err
	}
	s := subjectOf(c)
	// Client employers see a candidate only while a placement with them is live.
	if s.EmployerOrgIDs, err = tx.placementEmployers(ctx, c.ID); err != nil {
		return nil, access.Subject{}, err
	}
	return c, s, nil
}

func subjectOf(c *candidate.Candidate) access.Subject {
	return access.Subject{CandidateID: c.ID, CommissionerOrgID: c.CommissionerOrgID, CoachUserID: c.CoachUserID,
		CandidateUserID: c.UserID, Restricted: c.Restricted, Screened: c.Screened}
}

// dataKey unwraps the candidate's data key. A destroyed key means the
// candidate was erased.
func (tx *Tx) dataKey(ctx context.Context, id string) (vault.DataKey, error) {
	var wrapped []byte
	var version int
	err := tx.queryRow(ctx, `SELECT wrapped_key, key_version FROM candidate_keys WHERE candidate_id = ? AND destroyed_at IS NULL`, id).Scan(&wrapped, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return vault.DataKey{}, errNoCandidate
	case err != nil:
		return vault.DataKey{}, err
	case wrapped == nil:
		// A database restored from a backup holds no data keys until the
		// key file is loaded (keystore.go).
		return vault.DataKey{}, errKeyNotLoaded
	}
	return tx.db.Keyring.Unwrap(wrapped, version, id)
}

var errKeyNotLoaded = opstap.Errorf(opstap.EUNAVAILABLE, "this candidate's data key is not loaded: the database was restored without its key file (opstap restore-keys)")

// putCategory seals v under the candidate's key and stores it.
func (tx *Tx) putCategory(ctx context.Context, dk vault.DataKey, id string, cat opstap.Category, v any, by string) error {
	plain, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ct := dk.Seal(plain, vault.FieldAAD(id, string(cat)))
	_, err = tx.exec(ctx, `INSERT INTO candidate_data (candidate_id, category, ciphertext, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (candidate_id, category) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		id, string(cat), ct, tx.Now(), by)
	return err
}

// getCategory opens a category into dst; it reports false when none is stored.
func (tx *Tx) getCategory(ctx context.Context, dk vault.DataKey, id string, cat opstap.Category, dst any) (bool, error) {
	var ct []byte
	err := tx.queryRow(ctx, `SELECT ciphertext FROM candidate_data WHERE candidate_id = ? AND category = ?`, id, string(cat)).Scan(&ct)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	plain, err := dk.Open(ct, vault.FieldAAD(id, string(cat)))
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(plain, dst)
}

// searchTerms are the blind-index terms for a candidate: name, e-mail, BSN.
func (db *DB) searchTerms(b candidate.Basic, bsn string) []string {
	terms := db.Keyring.SearchTerms("name", b.FirstName+" "+b.LastName)
	if b.Email != "" {
		terms = append(terms, db.Keyring.ExactTerm("email", b.Email))
	}
	if bsn != "" {
		terms = append(terms, db.Keyring.ExactTerm("bsn", bsn))
	}
	return terms
}

// putSearchTerms replaces the candidate's blind-index terms in one
// multi-row insert.
func (tx *Tx) putSearchTerms(ctx context.Context, id string, terms []string, fresh bool) error {
	if !fresh {
		if _, err := tx.exec(ctx, `DELETE FROM candidate_search WHERE candidate_id = ?`, id); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	var args []any
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			args = append(args, t, id)
		}
	}
	if len(args) == 0 {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO candidate_search (term, candidate_id) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?), ", len(args)/2), ", "), args...)
	return err
}

// decide asks the access policy. A refusal comes back as a *deniedError
// carrying its audit entry; WithTx logs it after rolling back, so the
// denial is recorded even though the transaction is not. A decision that
// allows only part of the category (the employer's view) is refused here:
// only the paths that cut the data down to that part ask decideView.
func (db *DB) decide(ctx context.Context, a *opstap.Actor, s access.Subject, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, error) {
	d, err := db.decideView(ctx, a, s, cat, act, purpose, reason)
	if err != nil || d.View == access.ViewAll {
		return d, err
	}
	d.Allowed, d.Reason = false, d.View.Reason()
	return d, denial(a, d, s.CandidateID, cat, act, purpose)
}

// decideView is decide for a caller that honours d.View: it shows no more
// of the category than the view allows.
func (db *DB) decideView(ctx context.Context, a *opstap.Actor, s access.Subject, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, error) {
	d := db.decision(ctx, a, s, cat, act, reason)
	if d.Allowed {
		return d, nil
	}
	return d, denial(a, d, s.CandidateID, cat, act, purpose)
}

// denial is the refusal of d with the audit entry that records it.
func denial(a *opstap.Actor, d access.Decision, id string, cat opstap.Category, act opstap.Action, purpose string) error {
	e := candidateEntry(a, d, id, cat, act, purpose)
	e.Outcome = audit.OutcomeDenied
	err := d.Err()
	if d.NeedsReason {
		err = &opstap.Error{Code: opstap.EFORBIDDEN, Message: d.Reason, Field: "reason"}
	}
	return &deniedError{err: err, entry: e}
}

// deniedError is an access refusal with the audit entry that records it.
type deniedError struct {
	err   error
	entry audit.Entry
}

func (e *deniedError) Error() string { return e.err.Error() }
func (e *deniedError) Unwrap() error { return e.err }

// candidateEntry is the audit entry for one access to a candidate's data.
func candidateEntry(a *opstap.Actor, d access.Decision, id string, cat opstap.Category, act opstap.Action, purpose string) audit.Entry {
	e := entryFor(a, audit.EventRead)
	if act == opstap.Write {
		e.Event = audit.EventWrite
	}
	if d.Role != "" {
		e.ActorRole = string(d.Role)
	}
	e.CandidateID, e.Category, e.Action, e.Purpose, e.Outcome = id, string(cat), string(act), purpose, audit.OutcomeAllowed
	if d.BreakGlass {
		e.Event = audit.EventBreakGlass
		e.Detail = "break the glass: reason stated"
	}
	return e
}

// registerRole checks that the actor may register for this commissioner:
// its own organisation for a case manager, any commissioner for the provider.
func (tx *Tx) checkCommissioner(ctx context.Context, a *opstap.Actor, orgID string) error {
	var kind opstap.OrgKind
	err := tx.queryRow(ctx, `SELECT kind FROM organisations WHERE id = ?`, orgID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !kind.Commissioner()) {
		return opstap.FieldError("commissioner_org_id", "unknown commissioner")
	} else if err != nil {
		return err
	}
	if !a.System && a.OrgKind != opstap.OrgProvider && a.OrgID != orgID {
		return opstap.FieldError("commissioner_org_id", "you can only register candidates for your own organisation")
	}
	return nil
}

func (tx *Tx) checkCoach(ctx context.Context, coachID string) error {
	if coachID == "" {
		return nil
	}
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = u.org_id
		WHERE g.user_id = ? AND g.role = ? AND g.access = 'write' AND g.blocked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?)
		AND u.blocked_at IS NULL AND o.kind = ?`, coachID, string(opstap.RoleCoach), tx.Now(), string(opstap.OrgProvider)).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return opstap.FieldError("coach_user_id", "unknown coach")
	}
	return nil
}

// RegisterCandidate registers one candidate (aanmelding) and returns it.
// A second registration with the same commissioner and external reference
// is a conflict.
func (db *DB) RegisterCandidate(ctx context.Context, a *opstap.Actor, r candidate.Registration) (*candidate.Candidate, error) {
	if !can(a, access.RegisterCandidates) {
		return nil, forbidden()
	}
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

// FindCandidate returns a candidate with basic data, after the access
// policy allowed the read; the read is logged. reason is the stated
// reason of a coach who is not assigned ("break the glass").
func (db *DB) FindCandidate(ctx context.Context, a *opstap.Actor, id, purpose, reason string) (*candidate.Candidate, error) {
	var c *candidate.Candidate
	err := db.auditedRead(ctx, func(tx *Tx) error {
		var s access.Subject
		var err error
		if c, s, err = tx.candidateSubject(ctx, id); err != nil {
			return err
		}
		d, err := db.decideView(ctx, a, s, opstap.CatBasic, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.recordBreakGlass(ctx, dk, a, d, id, reason); err != nil {
			return err
		}
		c.Basic = &candidate.Basic{}
		if _, err := tx.getCategory(ctx, dk, id, opstap.CatBasic, c.Basic); err != nil {
			return err
		}
		if d.View == access.ViewPlacement {
			c = c.PlacementView()
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, opstap.CatBasic, opstap.Read, purpose))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// categoryValue returns an empty value of the category's type.
func categoryValue(cat opstap.Category) (any, error) {
	switch cat {
	case opstap.CatBasic:
		return &candidate.Basic{}, nil
	case opstap.CatBSN:
		return &candidate.BSN{}, nil
	case opstap.CatBenefit:
		return &candidate.Benefit{}, nil
	case opstap.CatFinancial:
		return &candidate.Financial{}, nil
	case opstap.CatEducation:
		return &candidate.Education{}, nil
	case opstap.CatPreferences:
		return &candidate.Preferences{}, nil
	case opstap.CatLimitations, opstap.CatMedical:
		// The medical segment and the shared limitations have their own
		// store with the consent flag (medical.go); no second way in.
		return nil, opstap.FieldError("category", "medical data and limitations are kept in the medical segment")
	}
	return nil, opstap.FieldError("category", "unknown data category")
}

// CategoryValue returns a new value of the type that holds cat, for
// decoding a write with the API's field rules before WriteCategory.
func CategoryValue(cat opstap.Category) (any, error) { return categoryValue(cat) }

// ReadCategory returns one category of a candidate's data (nil when none
// is stored), as the access policy allows; the read is logged.
func (db *DB) ReadCategory(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, purpose, reason string) (any, error) {
	v, err := categoryValue(cat)
	if err != nil {
		return nil, err
	}
	found := false
	err = db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		d, err := db.decideView(ctx, a, s, cat, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.recordBreakGlass(ctx, dk, a, d, id, reason); err != nil {
			return err
		}
		if found, err = tx.getCategory(ctx, dk, id, cat, v); err != nil {
			return err
		}
		if err := placementCut(d, v); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Read, purpose))
	})
	if err != nil || !found {
		return nil, err
	}
	return v, nil
}

// placementCut cuts a category value down to the decision's view; a view
// this code cannot cut to is refused rather than shown whole.
func placementCut(d access.Decision, v any) error {
	if d.View == access.ViewAll {
		return nil
	}
	b, ok := v.(*candidate.Basic)
	if !ok || d.View != access.ViewPlacement {
		return opstap.Errorf(opstap.EFORBIDDEN, access.ReasonLimitedView)
	}
	*b = b.PlacementView()
	return nil
}

// validateCategory checks a value for a category and returns it normalised.
func validateCategory(cat opstap.Category, raw json.RawMessage, today opstap.Date) (any, error) {
	v, err := categoryValue(cat)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, opstap.FieldError(string(cat), "the data does not fit this category")
	}
	switch x := v.(type) {
	case *candidate.Basic:
		err = x.Validate(today)
	case *candidate.BSN:
		err = x.Validate()
	case *candidate.Benefit:
		err = x.Validate(today)
	case *candidate.Financial:
		err = x.Validate()
	case *candidate.Preferences:
		err = x.Validate()
	}
	return v, err
}

// WriteCategory replaces one category of a candidate's data, as the access
// policy allows; the write is logged. Basic and BSN changes refresh the
// search terms.
func (db *DB) WriteCategory(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, raw json.RawMessage, purpose string) error {
	v, err := validateCategory(cat, raw, opstap.DateOf(db.Now()))
	if err != nil {
		return err
	}
	err = db.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.writeCategory(ctx, a, id, cat, v, purpose)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, e)
	})
	db.afterCategoryWrite(ctx, err, id, cat)
	return err
}

// writeCategory is the category write inside a transaction: the policy's
// decision, the sealed value, the search terms and the audit entry. A
// rectification request carried out uses it too, so it takes the same path
// as any other change. The caller appends the returned audit entry last.
func (tx *Tx) writeCategory(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, v any, purpose string) (audit.Entry, error) {
	c, s, err := tx.candidateSubject(ctx, id)
	if err != nil {
		return audit.Entry{}, err
	}
	d, err := tx.db.decide(ctx, a, s, cat, opstap.Write, purpose, "")
	if err != nil {
		return audit.Entry{}, err
	}
	if b, ok := v.(*candidate.Basic); ok {
		if err := tx.checkPostcode(ctx, "postcode", b.Postcode4()); err != nil {
			return audit.Entry{}, err
		}
	}
	if b, ok := v.(*candidate.BSN); ok {
		if err := tx.checkBSNChange(ctx, a, c, b); err != nil {
			return audit.Entry{}, err
		}
	}
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return audit.Entry{}, err
	}
	if err := tx.putCategory(ctx, dk, id, cat, v, a.UserID); err != nil {
		return audit.Entry{}, err
	}
	if err := tx.refreshSearch(ctx, dk, c, cat, v); err != nil {
		return audit.Entry{}, err
	}
	if b, ok := v.(*candidate.Benefit); ok {
		if err := tx.setBenefitFact(ctx, c, *b); err != nil {
			return audit.Entry{}, err
		}
	}
	return candidateEntry(a, d, id, cat, opstap.Write, purpose), nil
}

// afterCategoryWrite updates the matching index once a write committed:
// the postcode area and the time on benefit feed matching.
func (db *DB) afterCategoryWrite(ctx context.Context, err error, id string, cat opstap.Category) {
	if err == nil && (cat == opstap.CatBasic || cat == opstap.CatBenefit) {
		db.reindexCandidate(ctx, id)
	}
}

func (tx *Tx) refreshSearch(ctx context.Context, dk vault.DataKey, c *candidate.Candidate, cat opstap.Category, v any) error {
	if cat != opstap.CatBasic && cat != opstap.CatBSN {
		return nil
	}
	var b candidate.Basic
	var bsn candidate.BSN
	if _, err := tx.getCategory(ctx, dk, c.ID, opstap.CatBasic, &b); err != nil {
		return err
	}
	if _, err := tx.getCategory(ctx, dk, c.ID, opstap.CatBSN, &bsn); err != nil {
		return err
	}
	if x, ok := v.(*candidate.Basic); ok {
		b = *x
		if _, err := tx.exec(ctx, `UPDATE candidates SET postcode4 = ? WHERE id = ?`, b.Postcode4(), c.ID); err != nil {
			return err
		}
	}
	if x, ok := v.(*candidate.BSN); ok {
		bsn = *x
	}
	return tx.putSearchTerms(ctx, c.ID, tx.db.searchTerms(b, bsn.Number), false)
}

// LinkCandidateUser gives a candidate their portal account.
func (db *DB) LinkCandidateUser(ctx context.Context, a *opstap.Actor, candidateID, userID string) error {
	if !can(a, access.ManageAccounts) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.exec(ctx, `UPDATE candidates SET user_id = ? WHERE id = ?`, userID, candidateID)
		if err != nil {
			return conflictField(err, "user_id", "this account already belongs to a candidate")
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errNoCandidate
		}
		e := entryFor(a, audit.EventUserChange)
		e.CandidateID = candidateID
		e.Detail = "linked portal account " + userID
		return tx.Audit(ctx, e)
	})
}
