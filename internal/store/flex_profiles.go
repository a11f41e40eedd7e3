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
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/flex"
)

// PurposeMatching is recorded with every read for matching candidates to
// flex assignments [003 art 5 lid 7].
const PurposeMatching = "matching"

// loadProfile reads a candidate's flex profile rows; ok is false when the
// candidate has none yet.
func (tx *Tx) loadProfile(ctx context.Context, id string) (p *flex.Profile, ok bool, err error) {
	p = &flex.Profile{CandidateID: id, Occupations: []flex.ProfileOccupation{}, Skills: []string{}, Days: []string{}, Limitations: []string{}}
	var hours, days, km sql.NullInt64
	var licence, transport, matchable sql.NullBool
	var preferred sql.NullString
	// The candidate's agreement is the latest share_cv_with_employers
	// consent, so the visibility page and "my consents" cannot disagree.
	err = tx.queryRow(ctx, `SELECT f.hours_per_week, f.days, f.max_travel_km, f.driving_licence, f.own_transport, f.available_from, f.preferred,
		f.matchable, f.matchable_on, `+visibilityConsent+`, f.coach_approved_at, f.updated_at, c.postcode4, COALESCE(o.cbs_code, '')
		FROM candidates c JOIN organisations o ON o.id = c.commissioner_org_id LEFT JOIN flex_profiles f ON f.candidate_id = c.id WHERE c.id = ?`,
		string(consent.ShareCV), true, id).
		Scan(&hours, &days, &km, &licence, &transport, &p.AvailableFrom, &preferred, &matchable, &p.MatchableOn, scanNullTime(&p.ConsentAt), scanNullTime(&p.CoachApprovedAt),
			scanNullTime(&p.UpdatedAt), &p.Postcode4, &p.Municipality)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, errNoCandidate
	} else if err != nil || p.UpdatedAt == nil {
		return p, false, err
	}
	p.HoursPerWeek, p.Days, p.MaxTravelKm = int(hours.Int64), flex.DayList(uint8(days.Int64)), int(km.Int64)
	p.DrivingLicence, p.OwnTransport, p.Matchable = licence.Bool, transport.Bool, matchable.Bool
	p.Preferred = splitCodes(preferred.String)
	err = tx.eachRow(ctx, `SELECT code, isco, experience_months FROM flex_profile_occupations WHERE candidate_id = ? ORDER BY code`, []any{id}, func(s scanner) error {
		var o flex.ProfileOccupation
		err := s.Scan(&o.Code, &o.ISCO, &o.ExperienceMonths)
		p.Occupations = append(p.Occupations, o)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	err = tx.eachRow(ctx, `SELECT code FROM flex_profile_skills WHERE candidate_id = ? ORDER BY code`, []any{id}, func(s scanner) error {
		var c string
		err := s.Scan(&c)
		p.Skills = append(p.Skills, c)
		return err
	})
	return p, true, err
}

// sharedLimitations returns the limitation codes the candidate agreed to
// share [002 art 5.1]; nothing when they did not.
func (tx *Tx) sharedLimitations(ctx context.Context, id string) ([]string, error) {
	var ct []byte
	err := tx.queryRow(ctx, `SELECT ciphertext FROM candidate_limitations WHERE candidate_id = ? AND shared_with_consent = ?`, id, true).Scan(&ct)
	if errors.Is(err, sql.ErrNoRows) {
		return []string{}, nil
	} else if err != nil {
		return nil, err
	}
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return nil, err
	}
	plain, err := dk.Open(ct, limitationsAAD(id))
	if err != nil {
		return nil, err
	}
	var codes []string
	return codes, json.Unmarshal(plain, &codes)
}

// FlexProfile returns a candidate's flex profile (category preferences),
// with the shared limitations when the policy lets the actor read them.
// Both reads are logged.
func (db *DB) FlexProfile(ctx context.Context, a *opstap.Actor, id, purpose, reason string) (*flex.Profile, error) {
	var out *flex.Profile
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatPreferences, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		if out, _, err = tx.loadProfile(ctx, id); err != nil {
			return err
		}
		entries := []audit.Entry{candidateEntry(a, d, id, opstap.CatPreferences, opstap.Read, purpose)}
		if ld := access.Decide(a, s, opstap.CatLimitations, opstap.Read, reason); ld.Allowed {
			if out.Limitations, err = tx.sharedLimitations(ctx, id); err != nil {
				return err
			}
			entries = append(entries, candidateEntry(a, ld, id, opstap.CatLimitations, opstap.Read, purpose))
		}
		return tx.Audit(ctx, entries...)
	})
	return out, err
}

// SaveFlexProfile writes the editable part of a candidate's flex profile
// (category preferences); the matchable status and visibility stay. Unknown
// occupation or skill codes are refused naming the field.
func (db *DB) SaveFlexProfile(ctx context.Context, a *opstap.Actor, id string, p flex.Profile) (*flex.Profile, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatPreferences, opstap.Write, PurposeMatching, "")
		if err != nil {
			return err
		}
		for i := range p.Occupations {
			if p.Occupations[i].ISCO, err = tx.occupationISCO(ctx, "occupations", p.Occupations[i].Code); err != nil {
				return err
			}
		}
		if err := tx.checkCodes(ctx, "skills", p.Skills); err != nil {
			return err
		}
		if err := tx.upsertProfile(ctx, a, id, &p); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, opstap.CatPreferences, opstap.Write, PurposeMatching))
	})
	if err != nil {
		return nil, err
	}
	db.reindexCandidate(ctx, id)
	return db.FlexProfile(ctx, a, id, PurposeMatching, "")
}

func (tx *Tx) upsertProfile(ctx context.Context, a *opstap.Actor, id string, p *flex.Profile) error {
	if _, err := tx.exec(ctx, `INSERT INTO flex_profiles (candidate_id, hours_per_week, days, max_travel_km, driving_licence, own_transport, available_from,
		preferred, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (candidate_id) DO UPDATE SET hours_per_week = excluded.hours_per_week, days = excluded.days, max_travel_km = excluded.max_travel_km,
		driving_licence = excluded.driving_licence, own_transport = excluded.own_transport, available_from = excluded.available_from,
		preferred = excluded.preferred, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		id, p.HoursPerWeek, p.DaysMask(), p.MaxTravelKm, p.DrivingLicence, p.OwnTransport, p.AvailableFrom, strings.Join(p.Preferred, ","),
		a.UserID, tx.Now()); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM flex_profile_occupations WHERE candidate_id = ?`, `DELETE FROM flex_profile_skills WHERE candidate_id = ?`} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	for _, o := range p.Occupations {
		if _, err := tx.exec(ctx, `INSERT INTO flex_profile_occupations (candidate_id, code, isco, experience_months) VALUES (?, ?, ?, ?)`,
			id, o.Code, o.ISCO, o.ExperienceMonths); err != nil {
			return err
		}
	}
	for _, c := range p.Skills {
		if _, err := tx.exec(ctx, `INSERT INTO flex_profile_skills (candidate_id, code) VALUES (?, ?)`, id, c); err != nil {
			return err
		}
	}
	return nil
}

// visibilityConsent is the moment of the candidate's consent in force to
// show their profile to employers, or NULL: the latest row of the topic,
// when it gives consent. Its parameters are the topic and true.
const visibilityConsent = `(SELECT k.recorded_at FROM consents k WHERE k.candidate_id = c.id AND k.topic = ? AND k.given = ?
	AND k.version = (SELECT MAX(x.version) FROM consents x WHERE x.candidate_id = c.id AND x.topic = k.topic))`

var errFlagForbidden = opstap.Errorf(opstap.EFORBIDDEN, "you may not set this on the flex profile")

// mayFlag applies access.DecideFlag to a flag the store knows (the consent
// is the candidate's own and goes through the consent register).
func mayFlag(f access.Flag, d access.Decision) error {
	if _, known := flagSQL[f]; !known {
		return opstap.FieldError("flag", "unknown flag")
	}
	if !access.DecideFlag(f, d).Allowed {
		return errFlagForbidden
	}
	return nil
}

// flagSQL are the columns each flag sets: on, the moment or date and who.
var flagSQL = map[access.Flag]string{
	access.FlagMatchable:     `matchable = ?, matchable_on = ?, matchable_by = ?`,
	access.FlagCoachApproval: `coach_approved_at = ?, coach_approved_by = ?`,
}

// SetFlexFlag records the matchable status, the candidate's consent or the
// coach's approval on an existing flex profile, with when and by whom.
func (db *DB) SetFlexFlag(ctx context.Context, a *opstap.Actor, id string, f access.Flag, on bool) error {
	if f == access.FlagConsent {
		return db.consentToVisibility(ctx, a, id, on)
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatPreferences, opstap.Write, PurposeMatching, "")
		if err != nil {
			return err
		}
		if err := mayFlag(f, d); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE flex_profiles SET `+flagSQL[f]+` WHERE candidate_id = ?`, flagArgs(f, on, tx, a, id)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return opstap.Errorf(opstap.ECONFLICT, "the candidate has no flex profile yet")
		}
		if f == access.FlagMatchable {
			if err := tx.recordMatchable(ctx, id, on); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, opstap.CatPreferences, opstap.Write, PurposeMatching))
	})
	if err == nil {
		db.reindexCandidate(ctx, id)
	}
	return err
}

// consentToVisibility records the candidate's own agreement to show their
// flex profile to employers as what it is: the share_cv_with_employers
// consent [004 "Toestemming kandidaat"], given or withdrawn in the portal.
// Only the candidate gives it here; staff record a paper consent on the
// consents page.
func (db *DB) consentToVisibility(ctx context.Context, a *opstap.Actor, id string, on bool) error {
	if a == nil || !a.Has(opstap.RoleCandidate, opstap.Write) {
		return errFlagForbidden
	}
	_, err := db.RecordConsent(ctx, a, id, consent.Change{Topic: consent.ShareCV, Given: on, Method: consent.Portal})
	return err
}

func flagArgs(f access.Flag, on bool, tx *Tx, a *opstap.Actor, id string) []any {
	var at any
	if on {
		at = tx.Now()
	}
	switch f {
	case access.FlagMatchable:
		var day any
		if on {
			day = opstap.DateOf(tx.Now())
		}
		return []any{on, day, a.UserID, id}
	}
	return []any{at, a.UserID, id}
}
