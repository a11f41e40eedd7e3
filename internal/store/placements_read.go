package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
)

// PlacementView is a placement as one reader may see it: the candidate's
// name and shared work-relevant limitations only where the access policy
// allows, each read logged.
type PlacementView struct {
	*flex.Placement
	Limitations []string `json:"limitations"`
	// Card is what the employer decides a proposal on, on the employer's
	// view of one proposed placement; CardWithheld says why it is missing
	// when the candidate does not show a profile to employers.
	Card         *flex.ProposalCard `json:"card,omitempty"`
	CardWithheld string             `json:"card_withheld,omitempty"`
}

// placementReader is how an actor reads placements: as the municipality
// (everything, sealed texts opened), as the employer of the assignment
// (name and shared limitations [003 art 7.7 lid 2]) or as the candidate.
type placementReader struct {
	a       *opstap.Actor
	purpose string
	staff   bool // the municipality: open the sealed texts
	card    bool // the employer answering one proposal: add its card
	entries []audit.Entry
}

// view checks and logs the reads one placement shows; facts hold its
// candidate's.
func (r *placementReader) view(ctx context.Context, tx *Tx, facts *pageFacts, p *flex.Placement) (*PlacementView, error) {
	v := &PlacementView{Placement: p, Limitations: []string{}}
	_, s, err := facts.subject(p.CandidateID)
	if err != nil {
		return nil, err
	}
	d, err := tx.db.decideView(ctx, r.a, s, opstap.CatBasic, opstap.Read, r.purpose, "") // only the name is shown
	if err != nil {
		return nil, err
	}
	if p.CandidateName, err = facts.name(p.CandidateID); err != nil {
		return nil, err
	}
	r.entries = append(r.entries, candidateEntry(r.a, d, p.CandidateID, opstap.CatBasic, opstap.Read, r.purpose))
	if ld := access.Decide(r.a, s, opstap.CatLimitations, opstap.Read, ""); ld.Allowed {
		if v.Limitations, err = facts.sharedLimitations(p.CandidateID); err != nil {
			return nil, err
		}
		r.entries = append(r.entries, candidateEntry(r.a, ld, p.CandidateID, opstap.CatLimitations, opstap.Read, r.purpose))
	}
	if r.staff {
		return v, tx.openPlacementTexts(ctx, p)
	}
	if r.card && p.Status.Pending() {
		return v, r.proposalCard(ctx, tx, v, s)
	}
	return v, nil
}

// proposalCard adds the card the employer decides a proposal on
// (flex.Profile.Card) when access.DecideEmployerProfile allows both its
// categories; the reads are logged with the placement's. A withheld card
// shows nothing, so nothing is logged but the reason is given.
func (r *placementReader) proposalCard(ctx context.Context, tx *Tx, v *PlacementView, s access.Subject) error {
	prof, _, err := tx.loadProfile(ctx, v.CandidateID)
	if err != nil {
		return err
	}
	cats := []opstap.Category{opstap.CatEducation, opstap.CatPreferences}
	var ds []access.Decision
	for _, cat := range cats {
		d := access.DecideEmployerProfile(tx.db.decision(ctx, r.a, s, cat, opstap.Read, ""), prof.Visible())
		if !d.Allowed {
			v.CardWithheld = d.Reason
			return nil
		}
		ds = append(ds, d)
	}
	as, err := tx.assignment(ctx, v.AssignmentID)
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for _, o := range prof.Occupations {
		if labels[o.Code], err = tx.occupationLabel(ctx, o.Code); err != nil {
			return err
		}
	}
	card := prof.Card(as.Occupation, as.ISCO, func(code string) string { return labels[code] })
	v.Card = &card
	for i, cat := range cats {
		r.entries = append(r.entries, candidateEntry(r.a, ds[i], v.CandidateID, cat, opstap.Read, r.purpose))
	}
	return nil
}

// occupationLabel names an ESCO occupation code; a code no longer in the
// reference data is shown as it is.
func (tx *Tx) occupationLabel(ctx context.Context, code string) (string, error) {
	var label string
	err := tx.queryRow(ctx, `SELECT label FROM occupations WHERE code = ? OR uri = ? ORDER BY uri LIMIT 1`, code, code).Scan(&label)
	if errors.Is(err, sql.ErrNoRows) {
		return code, nil
	}
	return label, err
}

// openPlacementTexts opens the sealed reason of an early end and the
// motivations of the extensions, for the municipality.
func (tx *Tx) openPlacementTexts(ctx context.Context, p *flex.Placement) error {
	sl, err := tx.sealerFor(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	var ct []byte
	if p.End != nil {
		if err := tx.queryRow(ctx, `SELECT end_reason FROM placements WHERE id = ?`, p.ID).Scan(&ct); err != nil {
			return err
		}
		if p.End.Reason, err = sl.open("placement_end/"+p.ID, ct); err != nil {
			return err
		}
	}
	for i := range p.Extensions {
		e := &p.Extensions[i]
		if err := tx.queryRow(ctx, `SELECT motivation FROM placement_extensions WHERE id = ?`, e.ID).Scan(&ct); err != nil {
			return err
		}
		if e.Motivation, err = sl.open("placement_extension/"+e.ID, ct); err != nil {
			return err
		}
	}
	return nil
}

// views reads each placement through r and logs the reads in one batch.
func (r *placementReader) views(ctx context.Context, tx *Tx, ps []*flex.Placement) ([]*PlacementView, error) {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.CandidateID
	}
	facts, err := tx.readPageFacts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []*PlacementView{}
	for _, p := range ps {
		v, err := r.view(ctx, tx, facts, p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, tx.Audit(ctx, r.entries...)
}

// readerFor decides how the actor reads placement p, or refuses with "not
// found" so that others' placements do not show.
func (tx *Tx) readerFor(ctx context.Context, a *opstap.Actor, p *flex.Placement) (*placementReader, error) {
	r, err := tx.flexRoleOf(ctx, a)
	if err != nil {
		return nil, err
	}
	switch {
	case r.CaseManagerOf(p.Municipality):
		return &placementReader{a: a, purpose: PurposePlacement, staff: true}, nil
	case r.UserOf(p.EmployerID):
		return &placementReader{a: a, purpose: PurposePlacement}, nil
	}
	var self string
	if err := tx.queryRow(ctx, `SELECT COALESCE(user_id, '') FROM candidates WHERE id = ?`, p.CandidateID).Scan(&self); err != nil {
		return nil, err
	}
	if a != nil && a.UserID != "" && a.UserID == self {
		return &placementReader{a: a, purpose: PurposeSelf}, nil
	}
	return nil, errNoPlacement
}

// FindPlacement returns one placement as the actor may see it: the
// municipality, the assignment's employer or the candidate.
func (db *DB) FindPlacement(ctx context.Context, a *opstap.Actor, id string) (*PlacementView, error) {
	var out *PlacementView
	err := db.WithTx(ctx, func(tx *Tx) error {
		p, err := tx.placement(ctx, id)
		if err != nil {
			return err
		}
		r, err := tx.readerFor(ctx, a, p)
		if err != nil {
			return err
		}
		// The employer answers one proposal at a time: only here does it
		// get the card (not on its lists, which would read every profile).
		r.card = !r.staff && r.purpose == PurposePlacement
		vs, err := r.views(ctx, tx, []*flex.Placement{p})
		if err == nil {
			out = vs[0]
		}
		return err
	})
	return out, err
}

// AssignmentPlacements lists an assignment's placements for the
// municipality or the assignment's employer. The employer sees live and
// confirmed placements, not the ones declined or withdrawn.
func (db *DB) AssignmentPlacements(ctx context.Context, a *opstap.Actor, assignmentID string) ([]*PlacementView, error) {
	var out []*PlacementView
	err := db.WithTx(ctx, func(tx *Tx) error {
		as, err := tx.assignment(ctx, assignmentID)
		if err != nil {
			return err
		}
		fr, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		where, args := `p.assignment_id = ?`, []any{as.ID}
		r := &placementReader{a: a, purpose: PurposePlacement, staff: true}
		switch {
		case fr.CaseManagerOf(as.Municipality):
		case fr.UserOf(as.EmployerID):
			r.staff = false
			where, args = where+` AND p.status IN `+liveIn, append(args, liveStatuses...)
		default:
			return errNoAssignment
		}
		ps, err := tx.placements(ctx, where, args...)
		if err != nil {
			return err
		}
		out, err = r.views(ctx, tx, ps)
		return err
	})
	return out, err
}

// PlacementFilter narrows a list of placements and asks for one page of
// it.
type PlacementFilter struct {
	Status flex.PlacementStatus
	// Query finds placements by a piece of the assignment's title or the
	// employer's name, or by the candidate's client number.
	Query string
	// Sort is SortStart (the default: by first day), SortNewest (newest
	// proposal first) or SortTitle (by the assignment's title).
	Paging
}

var placementList = list{from: `FROM placements p JOIN assignments a ON a.id = p.assignment_id`, id: "p.id", orders: map[string]listOrder{
	"":         {sql: "p.first_day, p.proposed_at, p.id"},
	SortStart:  {sql: "p.first_day, p.proposed_at, p.id"},
	SortNewest: {sql: "p.proposed_at DESC, p.id DESC"},
	SortTitle:  {sql: "a.title, p.first_day, p.id"},
}}

// placementPage reads one page of the placements in the actor's scope
// that match f; the reader checks and logs the reads of that page only.
func (db *DB) placementPage(ctx context.Context, a *opstap.Actor, scope func(fr access.FlexRole) (string, []any, error), f PlacementFilter) ([]*PlacementView, Page, error) {
	if f.Status != "" && !slices.Contains(flex.PlacementStatuses, f.Status) {
		return nil, Page{}, opstap.FieldError("status", "unknown placement status")
	}
	if err := checkSearch(f.Query); err != nil {
		return nil, Page{}, err
	}
	out := []*PlacementView{}
	var pg Page
	err := db.WithTx(ctx, func(tx *Tx) error {
		fr, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		where, args, err := scope(fr)
		if err != nil {
			return err
		}
		if f.Status != "" {
			where, args = where+` AND p.status = ?`, append(args, string(f.Status))
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			like := likeText(q)
			cond := `LOWER(a.title) LIKE ? ESCAPE '!' OR ` + employerNamed
			args = append(args, like, like)
			if n, ok := candidate.ParseClientNumber(q); ok {
				cond += ` OR p.candidate_id IN (SELECT id FROM candidates WHERE client_number = ?)`
				args = append(args, n)
			}
			where += ` AND (` + cond + `)`
		}
		var ps []*flex.Placement
		ps, pg, err = loadPage(ctx, tx, placementList, where, args, f.Paging, func(in string, inArgs []any) ([]*flex.Placement, error) {
			return tx.placements(ctx, in, inArgs...)
		}, func(p *flex.Placement) string { return p.ID })
		if err != nil {
			return err
		}
		r := &placementReader{a: a, purpose: PurposePlacement} // a list shows no sealed texts
		out, err = r.views(ctx, tx, ps)
		return err
	})
	return out, pg, err
}

// EmployerPlacements lists one page of the live placements at the actor's
// employer organisation, with the candidates' names.
func (db *DB) EmployerPlacements(ctx context.Context, a *opstap.Actor, f PlacementFilter) ([]*PlacementView, Page, error) {
	return db.placementPage(ctx, a, func(fr access.FlexRole) (string, []any, error) {
		if fr.Employer() == "" {
			return "", nil, forbidden()
		}
		return `a.employer_org_id = ? AND p.status IN ` + liveIn, append([]any{fr.Employer()}, liveStatuses...), nil
	}, f)
}

// MunicipalityPlacements lists one page of the placements on the
// assignments of the case manager's municipality (the home page's
// "waiting for your confirmation" is status accepted). A list shows no
// sealed texts, so it opens none.
func (db *DB) MunicipalityPlacements(ctx context.Context, a *opstap.Actor, f PlacementFilter) ([]*PlacementView, Page, error) {
	return db.placementPage(ctx, a, func(fr access.FlexRole) (string, []any, error) {
		if fr.Municipality() == "" {
			return "", nil, forbidden()
		}
		return `a.municipality_cbs = ?`, []any{fr.Municipality()}, nil
	}, f)
}

// PortalPlacements lists the signed-in candidate's own placements.
func (db *DB) PortalPlacements(ctx context.Context, a *opstap.Actor) ([]*PlacementView, error) {
	id, err := db.OwnCandidateID(ctx, a)
	if err != nil {
		return nil, err
	}
	var out []*PlacementView
	err = db.WithTx(ctx, func(tx *Tx) error {
		ps, err := tx.placements(ctx, `p.candidate_id = ? AND p.status NOT IN (?, ?)`, id, string(flex.PlacementCancelled), string(flex.PlacementDeclined))
		if err != nil {
			return err
		}
		out, err = (&placementReader{a: a, purpose: PurposeSelf}).views(ctx, tx, ps)
		return err
	})
	return out, err
}

// PlacementDocument returns a confirmation PDF: the employer's to the
// assignment's employer, the candidate's to the candidate, both to the
// municipality. The download is logged as an export.
func (db *DB) PlacementDocument(ctx context.Context, a *opstap.Actor, id string, party flex.Party) ([]byte, error) {
	var out []byte
	err := db.WithTx(ctx, func(tx *Tx) error {
		p, err := tx.placement(ctx, id)
		if err != nil {
			return err
		}
		r, err := tx.readerFor(ctx, a, p)
		if err != nil {
			return err
		}
		fr, err := tx.flexRoleOf(ctx, a)
		if err != nil {
			return err
		}
		own := (party == flex.PartyEmployer && fr.Employer() != "") || (party == flex.PartyCandidate && r.purpose == PurposeSelf)
		if !r.staff && !own {
			return opstap.Errorf(opstap.EFORBIDDEN, "this confirmation is for the other party")
		}
		_, s, err := tx.placementSubject(ctx, p.CandidateID)
		if err != nil {
			return err
		}
		d, err := db.decideView(ctx, a, s, opstap.CatBasic, opstap.Read, r.purpose, "") // the employer's copy names and limitations only
		if err != nil {
			return err
		}
		if out, err = tx.openConfirmation(ctx, p, party); err != nil {
			return err
		}
		e := candidateEntry(a, d, p.CandidateID, opstap.CatBasic, opstap.Read, r.purpose)
		e.Event, e.Detail = audit.EventExport, "placement "+p.ID+": confirmation to the "+string(party)
		return tx.Audit(ctx, e)
	})
	return out, err
}

func (tx *Tx) openConfirmation(ctx context.Context, p *flex.Placement, party flex.Party) ([]byte, error) {
	var ct []byte
	err := tx.queryRow(ctx, `SELECT ciphertext FROM placement_documents WHERE placement_id = ? AND party = ?`, p.ID, string(party)).Scan(&ct)
	if err != nil {
		return nil, opstap.Errorf(opstap.ENOTFOUND, "the placement has no confirmation yet")
	}
	dk, err := tx.dataKey(ctx, p.CandidateID)
	if err != nil {
		return nil, err
	}
	return dk.Open(ct, confirmationAAD(p.CandidateID, p.ID, party))
}
