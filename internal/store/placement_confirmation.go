package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/vault"
)

// PlacementConfirmation is what the confirmations to the candidate and the
// employer say [003 art 5 lid 4]. The employer's version holds the
// candidate's name and the work-relevant limitations they agreed to share,
// never medical data [002 art 5.1, 003 art 7.7 lid 2]; the candidate's the
// employer, address, contact and the premium [003 art 5 lid 3].
type PlacementConfirmation struct {
	Placement       *flex.Placement
	Provider        string
	Municipality    string
	CandidateName   string
	LocationName    string
	LocationAddress string
	Postcode4       string
	StartTime       string
	EndTime         string
	Contact         string // the employer's user who accepted: name and e-mail
	Limitations     []string
	PremiumCents    opstap.Cents // per worked hour, from the contract terms in force on the first day
	// Premium says whether the premium may be promised: not for hours
	// worked under 27 (Participatiewet art 31 lid 7); PremiumFrom is the
	// 27th birthday when it falls within the placement.
	Premium         billing.PremiumPromise
	PremiumFrom     opstap.Date
	HourlyRateCents int
	ConfirmedAt     time.Time
	ConfirmedByName string
}

// ConfirmationRenderer renders the employer's and the candidate's
// confirmation; internal/render provides it (the store does not render).
type ConfirmationRenderer func(c *PlacementConfirmation) (employer, candidate []byte, err error)

// ConfirmPlacement is the municipality confirming a placement both parties
// accepted. The rules are checked again (another placement may have come
// in between); the confirmations are rendered, stored sealed under the
// candidate's key and both parties are told [003 art 5 lid 4].
func (db *DB) ConfirmPlacement(ctx context.Context, a *opstap.Actor, id string, render ConfirmationRenderer) (*flex.Placement, error) {
	var out *flex.Placement
	err := db.WithTx(ctx, func(tx *Tx) error {
		p, d, err := tx.municipalityPlacement(ctx, a, id)
		if err != nil {
			return err
		}
		if err := p.Status.CheckConfirm(); err != nil {
			return err
		}
		if err := tx.recheck(ctx, p); err != nil {
			return err
		}
		now := tx.Now()
		if _, err := tx.exec(ctx, `UPDATE placements SET status = ?, confirmed_by = ?, confirmed_at = ?, updated_at = ? WHERE id = ?`,
			string(flex.PlacementConfirmed), a.UserID, now, now, id); err != nil {
			return err
		}
		if out, err = tx.placement(ctx, id); err != nil {
			return err
		}
		if err := tx.fillWhenFull(ctx, out.AssignmentID); err != nil {
			return err
		}
		if err := tx.syncPlacementFact(ctx, id); err != nil {
			return err
		}
		if err := tx.storeConfirmations(ctx, a, out, render); err != nil {
			return err
		}
		out.HasConfirmations = true
		if err := tx.notifyParties(ctx, out, HappenedPlacementConfirmed, "/portal/placements", "/employer/placements/"+id); err != nil {
			return err
		}
		return tx.Audit(ctx, placementEntry(a, d, out, opstap.Write, "confirmed"))
	})
	return out, err
}

// recheck runs the proposal rules again on a placement before it is
// confirmed.
func (tx *Tx) recheck(ctx context.Context, p *flex.Placement) error {
	as, err := tx.assignment(ctx, p.AssignmentID)
	if err != nil {
		return err
	}
	f, err := tx.proposalFacts(ctx, as, p.CandidateID, p.ID)
	if err != nil {
		return err
	}
	f.ExtendedUntil = p.ExtendedUntil()
	in := flex.Proposal{CandidateID: p.CandidateID, FirstDay: p.FirstDay, LastDay: p.LastDay, HoursPerWeek: p.HoursPerWeek, Days: p.Days}
	return flex.CheckProposal(&in, f)
}

func (tx *Tx) storeConfirmations(ctx context.Context, a *opstap.Actor, p *flex.Placement, render ConfirmationRenderer) error {
	c, err := tx.confirmation(ctx, p)
	if err != nil {
		return err
	}
	emp, cand, err := render(c)
	if err != nil {
		return err
	}
	dk, err := tx.dataKey(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	for party, b := range map[flex.Party][]byte{flex.PartyEmployer: emp, flex.PartyCandidate: cand} {
		if _, err := tx.exec(ctx, `INSERT INTO placement_documents (placement_id, party, ciphertext, created_at) VALUES (?, ?, ?, ?)`,
			p.ID, string(party), dk.Seal(b, confirmationAAD(p.CandidateID, p.ID, party)), tx.Now()); err != nil {
			return err
		}
	}
	if len(c.Limitations) == 0 {
		return nil
	}
	// The shared limitations leave Opstap in the employer's confirmation.
	_, s, err := tx.candidateSubject(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	d, err := tx.db.decide(ctx, a, s, opstap.CatLimitations, opstap.Read, PurposePlacement, "")
	if err != nil {
		return err
	}
	e := candidateEntry(a, d, p.CandidateID, opstap.CatLimitations, opstap.Read, PurposePlacement)
	e.Event, e.Detail = audit.EventExport, "placement "+p.ID+": confirmation to the employer"
	return tx.Audit(ctx, e)
}

func confirmationAAD(candidateID, placementID string, party flex.Party) string {
	return vault.FieldAAD(candidateID, "placement_document/"+placementID+"/"+string(party))
}

// confirmation gathers the confirmation's content.
func (tx *Tx) confirmation(ctx context.Context, p *flex.Placement) (*PlacementConfirmation, error) {
	as, err := tx.assignment(ctx, p.AssignmentID)
	if err != nil {
		return nil, err
	}
	c := &PlacementConfirmation{Placement: p, StartTime: as.StartTime, EndTime: as.EndTime,
		HourlyRateCents: as.HourlyRateCents, ConfirmedAt: tx.Now()}
	if p.ConfirmedAt != nil {
		c.ConfirmedAt = *p.ConfirmedAt
	}
	// The premium per hour is the contract's [003 art 5 lid 3, 9]: the
	// terms in force on the first day, the seed's EUR 2.00 while the
	// municipality has none.
	terms, err := tx.TermsVersions(ctx, p.Municipality)
	if err != nil {
		return nil, err
	}
	c.PremiumCents = billing.PremiumPerHourOn(terms, p.FirstDay)
	_ = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? ORDER BY created_at LIMIT 1`, string(opstap.OrgProvider)).Scan(&c.Provider)
	_ = tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? AND cbs_code = ?`, string(opstap.OrgMunicipality), p.Municipality).Scan(&c.Municipality)
	_ = tx.queryRow(ctx, `SELECT name FROM users WHERE id = ?`, p.ConfirmedBy).Scan(&c.ConfirmedByName)
	if err := tx.queryRow(ctx, `SELECT name, address, postcode4 FROM employer_locations WHERE id = ?`, as.LocationID).Scan(&c.LocationName, &c.LocationAddress, &c.Postcode4); err != nil {
		return nil, err
	}
	var name, email string
	err = tx.queryRow(ctx, `SELECT u.name, u.email FROM placements p JOIN users u ON u.id = p.employer_answered_by WHERE p.id = ?`, p.ID).Scan(&name, &email)
	if err == nil {
		c.Contact = name + " · " + email
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	b, err := tx.candidateBasic(ctx, p.CandidateID)
	if err != nil {
		return nil, err
	}
	c.CandidateName = strings.TrimSpace(b.FirstName + " " + b.LastName) // as candidate_name, without reading twice
	c.Premium, c.PremiumFrom = billing.PromiseFor(b.BirthDate, p.FirstDay, p.LastDay)
	c.Limitations, err = tx.sharedLimitations(ctx, p.CandidateID)
	return c, err
}

func (tx *Tx) candidateName(ctx context.Context, id string) (string, error) {
	b, err := tx.candidateBasic(ctx, id)
	return strings.TrimSpace(b.FirstName + " " + b.LastName), err
}

// candidateBasic reads the basic data the confirmation needs; the caller's
// access decision and audit entry cover it (CatBasic).
func (tx *Tx) candidateBasic(ctx context.Context, id string) (candidate.Basic, error) {
	var b candidate.Basic
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return b, err
	}
	_, err = tx.getCategory(ctx, dk, id, opstap.CatBasic, &b)
	return b, err
}
