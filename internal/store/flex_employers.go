package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/matching"
)

// flexRoleOf decides the actor's flex role (access.FlexRoleOf), looking up
// the fact it needs: the CBS code of a municipality's actor.
func (tx *Tx) flexRoleOf(ctx context.Context, a *opstap.Actor) (access.FlexRole, error) {
	var cbs string
	if a != nil && !a.System && a.OrgKind == opstap.OrgMunicipality {
		if err := tx.queryRow(ctx, `SELECT COALESCE(cbs_code, '') FROM organisations WHERE id = ?`, a.OrgID).Scan(&cbs); err != nil {
			return access.FlexRole{}, err
		}
	}
	return access.FlexRoleOf(a, cbs), nil
}

func (tx *Tx) checkMunicipality(ctx context.Context, field, cbs string) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE kind = ? AND cbs_code = ?`, string(opstap.OrgMunicipality), cbs).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return opstap.FieldError(field, "unknown municipality")
	}
	return nil
}

// postcodeLatLon returns the centroid of a 4-digit postcode; an unknown
// postcode is refused naming the field.
func (tx *Tx) postcodeLatLon(ctx context.Context, field, code4 string) (lat, lon float64, err error) {
	err = tx.queryRow(ctx, `SELECT lat, lon FROM postcodes WHERE code4 = ?`, code4).Scan(&lat, &lon)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, opstap.FieldError(field, "unknown postcode")
	}
	return lat, lon, err
}

// occupationISCO returns the ISCO-08 group of an ESCO code or URI; an
// unknown code is refused naming the field.
func (tx *Tx) occupationISCO(ctx context.Context, field, code string) (string, error) {
	var isco string
	err := tx.queryRow(ctx, `SELECT isco FROM occupations WHERE code = ? OR uri = ?`, code, code).Scan(&isco)
	if errors.Is(err, sql.ErrNoRows) {
		return "", opstap.FieldError(field, "unknown occupation or skill code")
	}
	return isco, err
}

// checkCodes refuses any unknown code, naming the field. Skills are checked
// against the occupation codes until the ESCO skills are imported.
func (tx *Tx) checkCodes(ctx context.Context, field string, codes []string) error {
	for _, c := range codes {
		if _, err := tx.occupationISCO(ctx, field, c); err != nil {
			return err
		}
	}
	return nil
}

// CreateEmployer registers a client employer with its locations. A case
// manager registers one for their municipality; the provider's staff
// register national accounts linked to several municipalities [003 art 5
// lid 6].
func (db *DB) CreateEmployer(ctx context.Context, a *opstap.Actor, e flex.Employer) (*flex.Employer, error) {
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if !r.Staff() {
			return forbidden()
		}
		if err := e.Claim(r.Municipality()); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return err
		}
		for _, m := range append([]string{e.Municipality}, e.Municipalities...) {
			if m != "" {
				if err := tx.checkMunicipality(ctx, "municipalities", m); err != nil {
					return err
				}
			}
		}
		return tx.insertEmployer(ctx, a, &e)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// insertEmployer stores a new employer. With an ID it registers an existing
// organisation of kind client_employer (one the administrator created for
// the employer's accounts) instead of creating one.
func (tx *Tx) insertEmployer(ctx context.Context, a *opstap.Actor, e *flex.Employer) error {
	if err := tx.employerOrg(ctx, e); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO client_employers (org_id, national, municipality_cbs, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		e.ID, e.National, e.Municipality, a.UserID, tx.Now()); err != nil {
		return err
	}
	slices.Sort(e.Municipalities)
	e.Municipalities = slices.Compact(e.Municipalities)
	for _, m := range e.Municipalities {
		if _, err := tx.exec(ctx, `INSERT INTO national_account_municipalities (employer_org_id, municipality_cbs) VALUES (?, ?)`, e.ID, m); err != nil {
			return err
		}
	}
	for i := range e.Locations {
		if err := tx.insertLocation(ctx, e.ID, &e.Locations[i]); err != nil {
			return err
		}
	}
	if e.Locations == nil {
		e.Locations = []flex.Location{}
	}
	return tx.Audit(ctx, orgEntry(a, "created employer "+e.ID))
}

func (tx *Tx) employerOrg(ctx context.Context, e *flex.Employer) error {
	if e.ID == "" {
		e.ID = newID()
		_, err := tx.exec(ctx, `INSERT INTO organisations (id, name, kind, cbs_code, created_at) VALUES (?, ?, ?, NULL, ?)`,
			e.ID, e.Name, string(opstap.OrgClientEmployer), tx.Now())
		return err
	}
	var kind opstap.OrgKind
	err := tx.queryRow(ctx, `SELECT kind FROM organisations WHERE id = ?`, e.ID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != opstap.OrgClientEmployer) {
		return opstap.FieldError("id", "not a client employer's organisation")
	}
	return err
}

func orgEntry(a *opstap.Actor, detail string) audit.Entry {
	e := entryFor(a, audit.EventOrgChange)
	e.Detail = detail
	return e
}

func (tx *Tx) insertLocation(ctx context.Context, employerID string, l *flex.Location) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if _, _, err := tx.postcodeLatLon(ctx, "location.postcode4", l.Postcode4); err != nil {
		return err
	}
	l.ID = newID()
	_, err := tx.exec(ctx, `INSERT INTO employer_locations (id, employer_org_id, name, address, postcode4, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		l.ID, employerID, l.Name, l.Address, l.Postcode4, tx.Now())
	return err
}

// AddLocation adds a location to an employer.
func (db *DB) AddLocation(ctx context.Context, a *opstap.Actor, employerID string, l flex.Location) (*flex.Location, error) {
	err := db.WithTx(ctx, func(tx *Tx) error {
		e, err := tx.employer(ctx, employerID)
		if err != nil {
			return err
		}
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if !r.MayManageEmployer(e) {
			return forbidden()
		}
		if err := tx.insertLocation(ctx, e.ID, &l); err != nil {
			return err
		}
		return tx.Audit(ctx, orgEntry(a, "added location "+l.ID+" to employer "+e.ID))
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

var errNoEmployer = opstap.Errorf(opstap.ENOTFOUND, "no such employer")

// employer loads one employer with its municipalities and locations.
func (tx *Tx) employer(ctx context.Context, id string) (*flex.Employer, error) {
	es, err := tx.employers(ctx, `ce.org_id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, errNoEmployer
	}
	return es[0], nil
}

func (tx *Tx) employers(ctx context.Context, where string, args ...any) ([]*flex.Employer, error) {
	rows, err := tx.query(ctx, (`SELECT ce.org_id, o.name, ce.national, ce.municipality_cbs FROM client_employers ce
		JOIN organisations o ON o.id = ce.org_id WHERE ` + where + ` ORDER BY o.name, ce.org_id`), args...)
	var out []*flex.Employer
	byID := map[string]*flex.Employer{}
	if err := each(rows, err, func(rows scanner) error {
		e := &flex.Employer{Municipalities: []string{}, Locations: []flex.Location{}}
		if err := rows.Scan(&e.ID, &e.Name, &e.National, &e.Municipality); err != nil {
			return err
		}
		out = append(out, e)
		byID[e.ID] = e
		return nil
	}); err != nil {
		return nil, err
	}
	return out, tx.employerDetails(ctx, byID)
}

// employerDetails fills in the municipalities and locations.
func (tx *Tx) employerDetails(ctx context.Context, byID map[string]*flex.Employer) error {
	err := tx.eachRow(ctx, `SELECT employer_org_id, municipality_cbs FROM national_account_municipalities ORDER BY municipality_cbs`, nil, func(s scanner) error {
		var id, m string
		if err := s.Scan(&id, &m); err != nil {
			return err
		}
		if e := byID[id]; e != nil {
			e.Municipalities = append(e.Municipalities, m)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.eachRow(ctx, `SELECT employer_org_id, id, name, address, postcode4 FROM employer_locations ORDER BY name, id`, nil, func(s scanner) error {
		var id string
		var l flex.Location
		if err := s.Scan(&id, &l.ID, &l.Name, &l.Address, &l.Postcode4); err != nil {
			return err
		}
		if e := byID[id]; e != nil {
			e.Locations = append(e.Locations, l)
		}
		return nil
	})
}

// eachRow runs fn on every row of a query. The rows are read to the end
// before anything else runs in the transaction, so fn must not query.
func (tx *Tx) eachRow(ctx context.Context, q string, args []any, fn func(scanner) error) error {
	rows, err := tx.query(ctx, (q), args...)
	return each(rows, err, fn)
}

// FindEmployers lists the employers the actor may see: all for the
// provider, those serving their municipality for a case manager, its own for
// an employer's user.
func (db *DB) FindEmployers(ctx context.Context, a *opstap.Actor) ([]*flex.Employer, error) {
	var out []*flex.Employer
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if !r.Staff() && r.Employer() == "" {
			return forbidden()
		}
		all, err := tx.employers(ctx, `1 = 1`)
		for _, e := range all {
			if r.MaySeeEmployer(e) {
				out = append(out, e)
			}
		}
		return err
	})
	return out, err
}

// FlexSettings returns a municipality's flex settings, the defaults of seed
// 003 where it set none.
func (db *DB) FlexSettings(ctx context.Context, cbs string) (flex.Settings, error) {
	var s flex.Settings
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		s, err = tx.flexSettings(ctx, cbs)
		return err
	})
	return s, err
}

func (tx *Tx) flexSettings(ctx context.Context, cbs string) (flex.Settings, error) {
	s := flex.DefaultSettings(cbs)
	rate, err := tx.defaultRate(ctx, cbs, opstap.DateOf(tx.Now()))
	if err != nil {
		return s, err
	}
	s.HourlyRateCents = rate
	var w string
	err = tx.queryRow(ctx, `SELECT weights FROM commissioner_settings WHERE municipality_cbs = ?`, cbs).Scan(&w)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	} else if err != nil {
		return s, err
	}
	var ws matching.Weights
	if json.Unmarshal([]byte(w), &ws) == nil && ws.Validate() == nil {
		s.Weights = ws
	}
	return s, nil
}

// defaultRate is the hourly rate a new assignment of municipality cbs
// starting on day gets: that of the contract terms in force on the day,
// the one source of it; without terms the agreement's default
// [003 art 5 lid 8].
func (tx *Tx) defaultRate(ctx context.Context, cbs string, day opstap.Date) (int, error) {
	vs, err := tx.TermsVersions(ctx, cbs)
	if err != nil {
		return 0, err
	}
	if t, ok := billing.TermsAt(vs, day); ok {
		return int(t.HourlyRate), nil
	}
	return int(billing.DefaultHourlyRate), nil
}

// SetFlexSettings changes a municipality's matching weights; only its own
// case manager may. The default hourly rate is not set here but in the
// contract terms: a request naming another rate is refused.
func (db *DB) SetFlexSettings(ctx context.Context, a *opstap.Actor, s flex.Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		if !r.CaseManagerOf(s.Municipality) {
			return forbidden()
		}
		rate, err := tx.defaultRate(ctx, s.Municipality, opstap.DateOf(tx.Now()))
		if err != nil {
			return err
		}
		if s.HourlyRateCents != 0 && s.HourlyRateCents != rate {
			return opstap.FieldError("hourly_rate_cents", "the default hourly rate comes from the contract terms in force; set a different rate on the assignment")
		}
		s.HourlyRateCents = rate
		w, _ := json.Marshal(s.Weights)
		if _, err := tx.exec(ctx, `INSERT INTO commissioner_settings (municipality_cbs, hourly_rate_cents, weights, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (municipality_cbs) DO UPDATE SET hourly_rate_cents = excluded.hourly_rate_cents, weights = excluded.weights,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`, s.Municipality, s.HourlyRateCents, string(w), a.UserID, tx.Now()); err != nil {
			return err
		}
		return tx.Audit(ctx, orgEntry(a, "changed flex settings of municipality "+s.Municipality))
	})
}

// ActorMunicipality returns the CBS code of a case manager's municipality,
// "" for anyone else (for pages that default to it).
func (db *DB) ActorMunicipality(ctx context.Context, a *opstap.Actor) (string, error) {
	var cbs string
	err := db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.flexRoleOf(ctx, a)
		cbs = r.Municipality()
		return err
	})
	return cbs, err
}
