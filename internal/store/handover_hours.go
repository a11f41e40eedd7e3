package store

import (
	"context"

	"github.com/opstap/opstap"
)

// HandoverHours is one timesheet line of a candidate: the hours worked on
// a placement, as approved, submitted or rejected, with travel. Hours are a
// money record under the statutory retention (seed 001: ten years) that the
// successor keeps for the premiums and settlements still to come. Placements,
// assignments and employers do not move between installations, so each line
// names them in clear; the typed reason of a correction or rejection stays
// behind, like other staff notes.
type HandoverHours struct {
	Employer   string         `json:"employer"`
	Assignment string         `json:"assignment"`
	Day        opstap.Date    `json:"day"`
	Month      opstap.Month   `json:"month"` // the month the line is booked in (a correction lands in the next open month)
	Minutes    opstap.Minutes `json:"minutes"`
	TravelKm   int            `json:"travel_km"`
	Transit    opstap.Cents   `json:"transit_cents"`
	Status     string         `json:"status"` // approved, submitted or rejected
	Source     string         `json:"source"` // employer, candidate or finance
	Correction bool           `json:"correction"`
	// Paid: the premium and travel of the line's month were paid out
	// (a payment recorded the month's accrual).
	Paid bool `json:"paid"`
}

// handoverHours reads a candidate's timesheet lines, oldest day first.
func (tx *Tx) handoverHours(ctx context.Context, id string) ([]HandoverHours, error) {
	out := []HandoverHours{}
	err := tx.eachRow(ctx, `SELECT o.name, s.title, l.day, l.month, l.minutes, l.travel_km, l.transit_cents, l.status, l.source,
		l.corrects_id IS NOT NULL, EXISTS (SELECT 1 FROM premium_accruals x WHERE x.candidate_id = l.candidate_id AND x.month = l.month)
		FROM timesheet_lines l JOIN placements p ON p.id = l.placement_id JOIN assignments s ON s.id = p.assignment_id
		JOIN organisations o ON o.id = s.employer_org_id
		WHERE l.candidate_id = ? ORDER BY l.day, l.corrects_id IS NOT NULL, l.entered_at, l.id`, []any{id}, func(s scanner) error {
		var h HandoverHours
		err := s.Scan(&h.Employer, &h.Assignment, &h.Day, &h.Month, &h.Minutes, &h.TravelKm, &h.Transit, &h.Status, &h.Source, &h.Correction, &h.Paid)
		out = append(out, h)
		return err
	})
	return out, err
}
