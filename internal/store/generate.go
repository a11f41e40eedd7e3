package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/vault"
)

// The methods in this file are the fast paths of the scale data generator
// (internal/gen, `opstap gen`). Candidates go through RegisterBulk, the
// store's ordinary bulk registration; what follows writes the flex and
// dossier records of thousands of candidates a transaction. They keep what
// the ordinary paths keep — entry texts sealed under the candidate's own
// data key, the figure facts beside the placements and hours, an audit entry
// for every record created, appended with the batch — but skip the checks
// that concern a person acting (who may manage which employer, whether a
// rate may be set): only the system may call them.

// GenEmployer is one generated client employer with one location.
type GenEmployer struct {
	Name, Municipality    string
	LocationName, Address string
	Postcode4             string
	ID, LocationID        string // set by GenerateEmployers
}

// GenerateEmployers creates the employers in one transaction.
func (db *DB) GenerateEmployers(ctx context.Context, a *opstap.Actor, es []GenEmployer) error {
	if !a.System {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		orgs := &rowBatch{table: "organisations", cols: []string{"id", "name", "kind", "created_at"}}
		emps := &rowBatch{table: "client_employers", cols: []string{"org_id", "national", "municipality_cbs", "created_by", "created_at"}}
		locs := &rowBatch{table: "employer_locations", cols: []string{"id", "employer_org_id", "name", "address", "postcode4", "created_at"}}
		entries := make([]audit.Entry, 0, len(es))
		for i := range es {
			e := &es[i]
			e.ID, e.LocationID = newID(), newID()
			orgs.add(e.ID, e.Name, string(opstap.OrgClientEmployer), tx.Now())
			emps.add(e.ID, false, e.Municipality, a.UserID, tx.Now())
			locs.add(e.LocationID, e.ID, e.LocationName, e.Address, e.Postcode4, tx.Now())
			entries = append(entries, orgEntry(a, "created employer "+e.ID))
		}
		for _, b := range []*rowBatch{orgs, emps, locs} {
			if err := tx.insertBatch(ctx, b); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, entries...)
	})
}

// GenAssignment is one generated assignment.
type GenAssignment struct {
	EmployerID, LocationID, Municipality string
	Title, Occupation, ISCO, Postcode4   string
	HoursPerWeek                         int
	Days                                 []string // mon … sun
	Start                                opstap.Date
	HourlyRateCents, Places              int
	Status                               flex.Status
	ID                                   string // set by GenerateAssignments
}

// GenerateAssignments creates the assignments, with their status history,
// in one transaction.
func (db *DB) GenerateAssignments(ctx context.Context, a *opstap.Actor, as []GenAssignment) error {
	if !a.System {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		rows := &rowBatch{table: "assignments", cols: []string{"id", "employer_org_id", "location_id", "municipality_cbs", "title", "occupation", "isco",
			"hours_per_week", "days", "start_time", "end_time", "postcode4", "start_on", "hourly_rate_cents", "places", "demands",
			"needs_driving_licence", "needs_transport", "status", "created_by", "created_at", "updated_at"}}
		events := &rowBatch{table: "assignment_status_events", cols: []string{"id", "assignment_id", "status", "changed_at"}}
		entries := make([]audit.Entry, 0, len(as))
		for i := range as {
			in := &as[i]
			in.ID = newID()
			fa := flex.Assignment{Days: in.Days}
			rows.add(in.ID, in.EmployerID, in.LocationID, in.Municipality, in.Title, in.Occupation, in.ISCO, in.HoursPerWeek, fa.DaysMask(),
				"09:00", "17:00", in.Postcode4, in.Start, in.HourlyRateCents, in.Places, "", false, false, string(in.Status), a.UserID, tx.Now(), tx.Now())
			events.add(newID(), in.ID, string(in.Status), tx.Now())
			entries = append(entries, orgEntry(a, "created assignment "+in.ID))
		}
		for _, b := range []*rowBatch{rows, events} {
			if err := tx.insertBatch(ctx, b); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, entries...)
	})
}

// GenPlacement is one generated placement, confirmed (or ended when Ended),
// with an approved timesheet line of LineMinutes on each of Lines.
type GenPlacement struct {
	AssignmentID, CandidateID, Municipality string
	FirstDay, LastDay                       opstap.Date
	HoursPerWeek                            int
	Ended                                   bool
	LineMinutes                             int
	LineKm                                  int // travel per line
	Lines                                   []opstap.Date
	DaysMask                                int    // days of the week (bit 0 Monday); 0 means Monday to Friday
	ID                                      string // set by GeneratePlacements
}

// GeneratePlacements creates the placements with their approved hours and
// the figure facts the store keeps beside them (figure_placements, the
// approved minutes per month; only when Municipality is set), in one
// transaction; by is the user recorded as proposing and approving.
func (db *DB) GeneratePlacements(ctx context.Context, a *opstap.Actor, by string, ps []GenPlacement) error {
	if !a.System {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		now := tx.Now()
		places := &rowBatch{table: "placements", cols: []string{"id", "assignment_id", "candidate_id", "status", "first_day", "last_day",
			"hours_per_week", "days", "proposed_by", "proposed_at", "confirmed_by", "confirmed_at", "updated_at"}}
		facts := &rowBatch{table: "figure_placements", cols: []string{"placement_id", "candidate_id", "municipality_cbs", "first_day", "last_day", "ended",
			"hours_per_week", "outcome", "updated_at"}}
		minutes := &rowBatch{table: "figure_placement_minutes", cols: []string{"placement_id", "month", "minutes"}}
		lines := &rowBatch{table: "timesheet_lines", cols: []string{"id", "placement_id", "candidate_id", "day", "month", "minutes", "travel_km",
			"transit_cents", "status", "source", "entered_by", "entered_at", "decided_by", "decided_at"}}
		entries := make([]audit.Entry, 0, len(ps))
		for i := range ps {
			p := &ps[i]
			p.ID = newID()
			status := flex.PlacementConfirmed
			if p.Ended {
				status = flex.PlacementEnded
			}
			mask := p.DaysMask
			if mask == 0 {
				mask = 31
			}
			places.add(p.ID, p.AssignmentID, p.CandidateID, string(status), p.FirstDay, p.LastDay, p.HoursPerWeek, mask, by, now, by, now, now)
			if p.Municipality != "" {
				facts.add(p.ID, p.CandidateID, p.Municipality, p.FirstDay, p.LastDay, p.Ended, p.HoursPerWeek, "", now)
			}
			perMonth := map[opstap.Month]int64{}
			var months []opstap.Month
			for _, d := range p.Lines {
				m := opstap.MonthOf(d)
				lines.add(newID(), p.ID, p.CandidateID, d, m, p.LineMinutes, p.LineKm, 0, "approved", "employer", by, now, by, now)
				if _, ok := perMonth[m]; !ok {
					months = append(months, m)
				}
				perMonth[m] += int64(p.LineMinutes)
			}
			for _, m := range months {
				if p.Municipality != "" {
					minutes.add(p.ID, m, perMonth[m])
				}
			}
			e := candidateEntry(a, access.Decision{}, p.CandidateID, opstap.CatPreferences, opstap.Write, PurposePlacement)
			e.Detail = "placement " + p.ID + ": generated with " + strconv.Itoa(len(p.Lines)) + " approved days"
			entries = append(entries, e)
		}
		for _, b := range []*rowBatch{places, facts, minutes, lines} {
			if err := tx.insertBatch(ctx, b); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, entries...)
	})
}

// GenEntry is one generated dossier entry.
type GenEntry struct {
	CandidateID string
	Kind        dossier.EntryKind
	OccurredOn  opstap.Date
	Title, Body string
}

// GenerateEntries writes dossier entries in one transaction, each sealed
// under its candidate's data key as CreateEntry seals it, with one audit
// entry per candidate and category; author is the user recorded as writing
// them.
func (db *DB) GenerateEntries(ctx context.Context, a *opstap.Actor, author string, es []GenEntry) error {
	if !a.System {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		rows := &rowBatch{table: "dossier_entries", cols: []string{"id", "candidate_id", "kind", "occurred_on", "version", "ciphertext",
			"author_id", "created_at", "updated_by", "updated_at"}}
		type logged struct {
			id  string
			cat opstap.Category
		}
		seen := map[logged]bool{}
		var entries []audit.Entry
		var keyOf string
		var dk vault.DataKey
		for _, in := range es {
			if keyOf != in.CandidateID {
				k, err := tx.dataKey(ctx, in.CandidateID)
				if err != nil {
					return err
				}
				dk, keyOf = k, in.CandidateID
			}
			id := newID()
			rows.add(id, in.CandidateID, string(in.Kind), in.OccurredOn, 1, sealEntry(dk, in.CandidateID, id, 1, in.Title, in.Body),
				author, tx.Now(), author, tx.Now())
			l := logged{in.CandidateID, in.Kind.Category()}
			if !seen[l] {
				seen[l] = true
				e := candidateEntry(a, access.Decision{}, in.CandidateID, l.cat, opstap.Write, PurposeGuidance)
				e.Detail = "generated dossier entries"
				entries = append(entries, e)
			}
		}
		if err := tx.insertBatch(ctx, rows); err != nil {
			return err
		}
		return tx.Audit(ctx, entries...)
	})
}

// CandidateRefs returns the ids of the commissioner's candidates by their
// external reference, for the generator to attach records to candidates it
// registered in bulk.
func (db *DB) CandidateRefs(ctx context.Context, commissionerOrgID string) (map[string]string, error) {
	out := map[string]string{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT external_ref, id FROM candidates WHERE commissioner_org_id = ?`, []any{commissionerOrgID}, func(s scanner) error {
			var ref, id string
			if err := s.Scan(&ref, &id); err != nil {
				return err
			}
			out[ref] = id
			return nil
		})
	})
	return out, err
}

// AnalyzeAfterLoad brings PostgreSQL's planner statistics up to date after a
// bulk load, as autovacuum would soon after: without them the planner takes
// the fresh rows for empty tables. A no-op on SQLite, which the store never
// analyses: with the statistics of ANALYZE (sqlite_stat4), SQLite compiles a
// prepared statement again whenever a bound value changes, which made the
// store's cached statements (stmtcache.go) worthless.
func (db *DB) AnalyzeAfterLoad(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	_, err := db.SQL.ExecContext(ctx, "VACUUM ANALYZE")
	return err
}

// GenRefdata is the reference data the generator draws from: every
// municipality with its postcodes, and the occupations.
type GenRefdata struct {
	Municipalities []GenMunicipality // by CBS code
	Occupations    []GenOccupation   // by code
}

// GenMunicipality is a municipality with its 4-digit postcodes.
type GenMunicipality struct {
	CBS, Name string
	Postcodes []string // sorted
}

// GenOccupation is an ESCO occupation with its ISCO group.
type GenOccupation struct{ Code, ISCO, Label string }

// GenerationRefdata reads the imported reference data in a stable order.
func (db *DB) GenerationRefdata(ctx context.Context) (*GenRefdata, error) {
	r := &GenRefdata{}
	err := db.readTx(ctx, func(tx *Tx) error {
		byCBS := map[string]int{}
		err := tx.eachRow(ctx, `SELECT cbs_code, name FROM municipalities WHERE cbs_code IS NOT NULL ORDER BY cbs_code`, nil, func(s scanner) error {
			var m GenMunicipality
			if err := s.Scan(&m.CBS, &m.Name); err != nil {
				return err
			}
			byCBS[m.CBS] = len(r.Municipalities)
			r.Municipalities = append(r.Municipalities, m)
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.eachRow(ctx, `SELECT cbs_code, code4 FROM postcodes WHERE cbs_code IS NOT NULL ORDER BY code4`, nil, func(s scanner) error {
			var cbs, code string
			if err := s.Scan(&cbs, &code); err != nil {
				return err
			}
			if i, ok := byCBS[cbs]; ok {
				r.Municipalities[i].Postcodes = append(r.Municipalities[i].Postcodes, code)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.eachRow(ctx, `SELECT code, isco, label FROM occupations WHERE isco <> '' ORDER BY code`, nil, func(s scanner) error {
			var o GenOccupation
			if err := s.Scan(&o.Code, &o.ISCO, &o.Label); err != nil {
				return err
			}
			r.Occupations = append(r.Occupations, o)
			return nil
		})
	})
	return r, err
}

// LoadSample is what the load tool (`opstap load`) works on: candidates of
// the municipality with the most of them, with their coaches, and that
// municipality's open assignments with their employers.
type LoadSample struct {
	CBS, MunicipalityOrg string
	Candidates           []LoadCandidate
	Assignments          []LoadAssignment
}

// LoadCandidate is a candidate with its coach.
type LoadCandidate struct{ ID, CoachID string }

// LoadAssignment is an open assignment with its employer and location.
type LoadAssignment struct{ ID, EmployerID string }

// LoadSampleOf picks up to n candidates (with a coach) and 100 open
// assignments for the load tool, in a stable order.
func (db *DB) LoadSampleOf(ctx context.Context, n int) (*LoadSample, error) {
	s := &LoadSample{}
	err := db.readTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT o.cbs_code, o.id FROM candidates c JOIN organisations o ON o.id = c.commissioner_org_id
			WHERE o.kind = ? AND c.coach_user_id <> '' GROUP BY o.cbs_code, o.id ORDER BY COUNT(*) DESC, o.cbs_code LIMIT 1`, string(opstap.OrgMunicipality)).
			Scan(&s.CBS, &s.MunicipalityOrg)
		if err != nil {
			return notFound(err, "no candidates with a coach: generate a data set first (opstap gen)")
		}
		err = tx.eachRow(ctx, `SELECT id, coach_user_id FROM candidates WHERE commissioner_org_id = ? AND coach_user_id <> '' ORDER BY external_ref LIMIT ?`,
			[]any{s.MunicipalityOrg, n}, func(sc scanner) error {
				var c LoadCandidate
				if err := sc.Scan(&c.ID, &c.CoachID); err != nil {
					return err
				}
				s.Candidates = append(s.Candidates, c)
				return nil
			})
		if err != nil {
			return err
		}
		return tx.eachRow(ctx, `SELECT id, employer_org_id FROM assignments WHERE municipality_cbs = ? AND status = ? ORDER BY id LIMIT 100`,
			[]any{s.CBS, string(flex.StatusOpen)}, func(sc scanner) error {
				var a LoadAssignment
				if err := sc.Scan(&a.ID, &a.EmployerID); err != nil {
					return err
				}
				s.Assignments = append(s.Assignments, a)
				return nil
			})
	})
	if err == nil && len(s.Assignments) == 0 {
		err = opstap.Errorf(opstap.ENOTFOUND, "no open assignments in municipality %s", s.CBS)
	}
	return s, err
}

// GenFigureFacts is the history the figures count of one generated
// candidate: when registered (replacing the registration's own fact), the
// benefit, the changes of the matchable status and, when EndedOn is set, a
// flex trajectory ended for regular work on that day.
type GenFigureFacts struct {
	CandidateID, Municipality string
	RegisteredOn              opstap.Date
	OnBenefit                 bool
	BenefitMonths             int
	Matchable                 []GenMatchable
	EndedOn                   opstap.Date
}

// GenMatchable is one change of the matchable status.
type GenMatchable struct {
	On        opstap.Date
	Matchable bool
}

// GenerateFigureFacts writes the figure history of generated candidates in
// one transaction, with an audit entry per candidate.
func (db *DB) GenerateFigureFacts(ctx context.Context, a *opstap.Actor, by string, fs []GenFigureFacts) error {
	if !a.System {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		now := tx.Now()
		regs := &rowBatch{table: "figure_registrations", cols: []string{"candidate_id", "municipality_cbs", "registered_on", "on_benefit", "benefit_months", "benefit_checked"}}
		changes := &rowBatch{table: "figure_matchable_changes", cols: []string{"candidate_id", "seq", "municipality_cbs", "changed_on", "matchable", "recorded_at"}}
		trajs := &rowBatch{table: "trajectories", cols: []string{"id", "candidate_id", "kind", "status", "created_at", "created_by", "status_changed_at",
			"end_reason", "ended_on"}}
		entries := make([]audit.Entry, 0, len(fs))
		ids := make([]any, 0, len(fs))
		for _, f := range fs {
			ids = append(ids, f.CandidateID)
			regs.add(f.CandidateID, f.Municipality, f.RegisteredOn, f.OnBenefit, f.BenefitMonths, true)
			for i, m := range f.Matchable {
				changes.add(f.CandidateID, i+1, f.Municipality, m.On, m.Matchable, now)
			}
			if !f.EndedOn.IsZero() {
				trajs.add(newID(), f.CandidateID, "flex", "ended", now, by, now, "regular_work", f.EndedOn)
			}
			e := candidateEntry(a, access.Decision{}, f.CandidateID, opstap.CatBasic, opstap.Write, PurposeFigures)
			e.Detail = "generated figure history"
			entries = append(entries, e)
		}
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			q := "DELETE FROM figure_registrations WHERE candidate_id IN (?" + strings.Repeat(",?", len(chunk)-1) + ")"
			if _, err := tx.exec(ctx, q, chunk...); err != nil {
				return err
			}
		}
		for _, b := range []*rowBatch{regs, changes, trajs} {
			if err := tx.insertBatch(ctx, b); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, entries...)
	})
}

// GenComplaint is one generated complaint: open, or decided with Outcome
// on its outcome deadline.
type GenComplaint struct {
	CandidateID  string
	Subject      string
	ReceivedOn   opstap.Date
	Acknowledged bool              // acknowledged on the day of receipt
	Outcome      complaint.Outcome // "" while open
	ID           string            // set by GenerateComplaints
}

// GenerateComplaints files the complaints in one transaction, their texts
// sealed under the candidate's key as FileComplaint seals them, with an
// audit entry for each.
func (db *DB) GenerateComplaints(ctx context.Context, a *opstap.Actor, cs []GenComplaint) error {
	rows := &rowBatch{table: "complaints", cols: []string{"id", "candidate_id", "channel", "subject", "description", "received_on", "ack_due_on",
		"acknowledged_on", "outcome_due_on", "outcome", "outcome_text", "outcome_on", "filed_by", "created_at", "updated_at"}}
	return db.generateSealed(ctx, a, rows, len(cs), func(tx *Tx, i int, dk vault.DataKey) audit.Entry {
		c := &cs[i]
		c.ID = newID()
		var acked, decided opstap.Date
		if c.Acknowledged {
			acked = c.ReceivedOn
		}
		due := complaint.OutcomeDue(c.ReceivedOn)
		var text []byte
		if c.Outcome != "" {
			decided, text = due, dk.Seal([]byte("Afgehandeld."), complaintAAD(c.CandidateID, c.ID, "outcome"))
		}
		rows.add(c.ID, c.CandidateID, string(complaint.ChannelLetter), dk.Seal([]byte(c.Subject), complaintAAD(c.CandidateID, c.ID, "subject")),
			dk.Seal([]byte("Gegenereerde klacht."), complaintAAD(c.CandidateID, c.ID, "description")), c.ReceivedOn, complaint.AckDue(c.ReceivedOn),
			acked, due, string(c.Outcome), text, decided, "system", tx.Now(), tx.Now())
		return complaintEntry(a, access.Decision{}, c.CandidateID, opstap.Write)
	}, func(i int) string { return cs[i].CandidateID })
}

// GenRights is one generated rights request in Status, due a month after
// ReceivedOn.
type GenRights struct {
	CandidateID string
	Kind        privacy.RightsKind
	Status      privacy.RightsStatus
	ReceivedOn  opstap.Date
	ID          string // set by GenerateRightsRequests
}

// GenerateRightsRequests files the requests in one transaction, with an
// audit entry for each; the description is sealed as FileRightsRequest
// seals it.
func (db *DB) GenerateRightsRequests(ctx context.Context, a *opstap.Actor, rs []GenRights) error {
	rows := &rowBatch{table: "rights_requests", cols: []string{"id", "candidate_id", "kind", "status", "description", "received_on", "due_on",
		"filed_by", "created_at", "updated_at"}}
	return db.generateSealed(ctx, a, rows, len(rs), func(tx *Tx, i int, dk vault.DataKey) audit.Entry {
		r := &rs[i]
		r.ID = newID()
		rows.add(r.ID, r.CandidateID, string(r.Kind), string(r.Status), sealText(dk, "Gegenereerd verzoek.", rightsAAD(r.CandidateID, r.ID, "description")),
			r.ReceivedOn, privacy.RightsDue(r.ReceivedOn), "system", tx.Now(), tx.Now())
		return candidateEntry(a, access.Decision{}, r.CandidateID, opstap.CatBasic, opstap.Write, PurposeRights)
	}, func(i int) string { return rs[i].CandidateID })
}

// generateSealed writes n generated rows of one table in one transaction,
// for the system only: row adds row i to rows, sealed with the data key of
// its candidate (candidate(i)), and returns its audit entry; the rows are
// written, then the entries.
func (db *DB) generateSealed(ctx context.Context, a *opstap.Actor, rows *rowBatch, n int, row func(tx *Tx, i int, dk vault.DataKey) audit.Entry, candidate func(i int) string) error {
	if !a.System {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		keys := map[string]vault.DataKey{}
		entries := make([]audit.Entry, 0, n)
		for i := range n {
			dk, ok := keys[candidate(i)]
			if !ok {
				k, err := tx.dataKey(ctx, candidate(i))
				if err != nil {
					return err
				}
				dk, keys[candidate(i)] = k, k
			}
			entries = append(entries, row(tx, i, dk))
		}
		if err := tx.insertBatch(ctx, rows); err != nil {
			return err
		}
		return tx.Audit(ctx, entries...)
	})
}

// GenProfile is one generated flex profile: matchable, with the candidate's
// portal consent to be shown to employers (share_cv_with_employers) and the
// coach's approval, so that the candidate is proposable [DOMAIN §5];
// Limitations, when set, are shared with consent.
type GenProfile struct {
	CandidateID, Municipality    string
	HoursPerWeek, MaxTravelKm    int
	Days                         []string // mon … sun
	DrivingLicence, OwnTransport bool
	AvailableFrom, MatchableOn   opstap.Date
	Occupations                  []flex.ProfileOccupation // distinct codes, ISCO set
	Limitations                  []string                 // matching.Conflicts limitation codes
}

// GenerateProfiles writes the flex profiles of candidates that have none,
// no consents and no matchable history yet, in one transaction: the profile
// with its occupations, the consent (its purpose sealed as RecordConsent
// seals it), the shared limitations (sealed as SaveLimitations seals them),
// the matchable fact the figures count, and an audit entry for each record;
// by is the coach recorded as approving. A built matching index is dropped,
// to be built again from the profiles at its next use.
func (db *DB) GenerateProfiles(ctx context.Context, a *opstap.Actor, by string, ps []GenProfile) error {
	if !a.System {
		return forbidden()
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		now := tx.Now()
		profiles := &rowBatch{table: "flex_profiles", cols: []string{"candidate_id", "hours_per_week", "days", "max_travel_km", "driving_licence",
			"own_transport", "available_from", "preferred", "matchable", "matchable_on", "matchable_by", "coach_approved_at", "coach_approved_by",
			"updated_by", "updated_at"}}
		occs := &rowBatch{table: "flex_profile_occupations", cols: []string{"candidate_id", "code", "isco", "experience_months"}}
		consents := &rowBatch{table: "consents", cols: []string{"id", "candidate_id", "topic", "version", "given", "purpose_ct", "method",
			"recorded_by", "recorded_at"}}
		limits := &rowBatch{table: "candidate_limitations", cols: []string{"candidate_id", "ciphertext", "shared_with_consent", "updated_by", "updated_at"}}
		changes := &rowBatch{table: "figure_matchable_changes", cols: []string{"candidate_id", "seq", "municipality_cbs", "changed_on", "matchable", "recorded_at"}}
		entries := make([]audit.Entry, 0, 2*len(ps))
		for _, p := range ps {
			dk, err := tx.dataKey(ctx, p.CandidateID)
			if err != nil {
				return err
			}
			fp := flex.Profile{Days: p.Days}
			profiles.add(p.CandidateID, p.HoursPerWeek, fp.DaysMask(), p.MaxTravelKm, p.DrivingLicence, p.OwnTransport, p.AvailableFrom, "",
				true, p.MatchableOn, by, now, by, by, now)
			for _, o := range p.Occupations {
				occs.add(p.CandidateID, o.Code, o.ISCO, o.ExperienceMonths)
			}
			id := newID()
			consents.add(id, p.CandidateID, string(consent.ShareCV), 1, true,
				dk.Seal([]byte(consent.DefaultPurposes[consent.ShareCV]), vault.FieldAAD(p.CandidateID, "consent:"+id)), string(consent.Portal), "system", now)
			changes.add(p.CandidateID, 1, p.Municipality, p.MatchableOn, true, now)
			e := candidateEntry(a, access.Decision{}, p.CandidateID, opstap.CatPreferences, opstap.Write, PurposeMatching)
			e.Detail = "generated flex profile, matchable and approved"
			c := candidateEntry(a, access.Decision{}, p.CandidateID, opstap.CatBasic, opstap.Write, PurposeConsent)
			c.Detail = "consent " + string(consent.ShareCV)
			entries = append(entries, e, c)
			if len(p.Limitations) > 0 {
				plain, err := json.Marshal(p.Limitations)
				if err != nil {
					return err
				}
				limits.add(p.CandidateID, dk.Seal(plain, limitationsAAD(p.CandidateID)), true, by, now)
				l := candidateEntry(a, access.Decision{}, p.CandidateID, opstap.CatLimitations, opstap.Write, PurposeGuidance)
				l.Detail = "generated limitations, shared with consent"
				entries = append(entries, l)
			}
		}
		for _, b := range []*rowBatch{profiles, occs, consents, limits, changes} {
			if err := tx.insertBatch(ctx, b); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, entries...)
	})
	if err == nil {
		m := db.matcher()
		m.mu.Lock()
		m.idx = nil
		m.mu.Unlock()
	}
	return err
}
