package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/vault"
)

// pageFacts are what a page of a list reads of the candidates on it besides
// its own rows: who they are to the policy (access.Subject), their data
// key, their basic data and their shared limitations. A list that read
// these per row took some 350 queries for a page of 50 placements; these
// take two for the page (readPageFacts). Each accessor answers as the
// per-candidate read it replaces (candidateSubject, placementSubject,
// dataKey, getCategory, sharedLimitations), errors included, so that a
// list shows the same with and without them.
type pageFacts struct {
	tx   *Tx
	byID map[string]*pageCandidate
}

// pageCandidate is one candidate's facts, the data still sealed.
type pageCandidate struct {
	c *candidate.Candidate
	s access.Subject
	// hasKey is false when the data key was destroyed (erased); wrapped is
	// nil while the key file is not loaded.
	hasKey             bool
	wrapped            []byte
	version            int
	basic, limitations []byte // ciphertexts; nil when none (limitations: none shared)
	dk                 *vault.DataKey
	dkErr              error
}

// readPageFacts reads the facts of the candidates ids (repeats allowed) in
// two queries: the candidates with their keys, basic data and shared
// limitations, and the employers of their live placements.
func (tx *Tx) readPageFacts(ctx context.Context, ids []string) (*pageFacts, error) {
	f := &pageFacts{tx: tx, byID: map[string]*pageCandidate{}}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return f, nil
	}
	in, inArgs := idIn("c.id", ids, len(ids))
	err := tx.eachRow(ctx, `SELECT `+candidateColumns+`, k.candidate_id IS NOT NULL, k.wrapped_key, COALESCE(k.key_version, 0), b.ciphertext, l.ciphertext
		FROM candidates c
		LEFT JOIN candidate_keys k ON k.candidate_id = c.id AND k.destroyed_at IS NULL
		LEFT JOIN candidate_data b ON b.candidate_id = c.id AND b.category = ?
		LEFT JOIN candidate_limitations l ON l.candidate_id = c.id AND l.shared_with_consent = ?
		WHERE `+in, slices.Concat([]any{string(opstap.CatBasic), true}, inArgs), func(s scanner) error {
		var pc pageCandidate
		c, err := scanCandidate(s, &pc.hasKey, &pc.wrapped, &pc.version, &pc.basic, &pc.limitations)
		if err != nil {
			return err
		}
		pc.c, pc.s = c, subjectOf(c)
		f.byID[c.ID] = &pc
		return nil
	})
	if err != nil {
		return nil, err
	}
	in, inArgs = idIn("p.candidate_id", ids, len(ids))
	err = tx.eachRow(ctx, `SELECT DISTINCT p.candidate_id, a.employer_org_id FROM placements p JOIN assignments a ON a.id = p.assignment_id
		WHERE `+in+` AND p.status IN `+liveIn+` ORDER BY p.candidate_id, a.employer_org_id`, append(inArgs, liveStatuses...), func(s scanner) error {
		var id, employer string
		if err := s.Scan(&id, &employer); err != nil {
			return err
		}
		if pc := f.byID[id]; pc != nil {
			pc.s.EmployerOrgIDs = append(pc.s.EmployerOrgIDs, employer)
		}
		return nil
	})
	return f, err
}

// of is the candidate's facts; a candidate that was not read is not found,
// as candidateSubject says.
func (f *pageFacts) of(id string) (*pageCandidate, error) {
	pc := f.byID[id]
	if pc == nil {
		return nil, errNoCandidate
	}
	return pc, nil
}

// subject is candidateSubject (and placementSubject): the candidate, a copy
// the caller may change, and who they are to the policy, with the
// employers of their live placements.
func (f *pageFacts) subject(id string) (*candidate.Candidate, access.Subject, error) {
	pc, err := f.of(id)
	if err != nil {
		return nil, access.Subject{}, err
	}
	c := *pc.c
	return &c, pc.s, nil
}

// dataKey is Tx.dataKey, unwrapped once per candidate.
func (f *pageFacts) dataKey(id string) (vault.DataKey, error) {
	pc, err := f.of(id)
	switch {
	case err != nil:
		return vault.DataKey{}, err
	case pc.dk != nil || pc.dkErr != nil:
	case !pc.hasKey:
		pc.dkErr = errNoCandidate
	case pc.wrapped == nil:
		pc.dkErr = errKeyNotLoaded
	default:
		dk, err := f.tx.db.Keyring.Unwrap(pc.wrapped, pc.version, id)
		pc.dk, pc.dkErr = &dk, err
	}
	if pc.dkErr != nil {
		return vault.DataKey{}, pc.dkErr
	}
	return *pc.dk, nil
}

// basic is getCategory of the basic data: whether there is any, opened with
// dk into dst.
func (f *pageFacts) basic(dk vault.DataKey, id string, dst any) (bool, error) {
	pc, err := f.of(id)
	if err != nil || pc.basic == nil {
		return false, err
	}
	plain, err := dk.Open(pc.basic, vault.FieldAAD(id, string(opstap.CatBasic)))
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(plain, dst)
}

// name is candidateName: the first and last name, "" when there is no
// basic data.
func (f *pageFacts) name(id string) (string, error) {
	dk, err := f.dataKey(id)
	if err != nil {
		return "", err
	}
	var b candidate.Basic
	_, err = f.basic(dk, id, &b)
	return strings.TrimSpace(b.FirstName + " " + b.LastName), err
}

// sharedLimitations is Tx.sharedLimitations: the limitation codes the
// candidate agreed to share, none when they did not.
func (f *pageFacts) sharedLimitations(id string) ([]string, error) {
	pc := f.byID[id]
	if pc == nil || pc.limitations == nil {
		return []string{}, nil
	}
	dk, err := f.dataKey(id)
	if err != nil {
		return nil, err
	}
	plain, err := dk.Open(pc.limitations, limitationsAAD(id))
	if err != nil {
		return nil, err
	}
	var codes []string
	return codes, json.Unmarshal(plain, &codes)
}
