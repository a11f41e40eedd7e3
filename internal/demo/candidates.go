package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
)

func init() { loaders = append(loaders, loadCandidates) }

type demoCandidate struct {
	ref, first, last, born, postcode, city, bsn, benefitStart string
	org                                                       string
	coached                                                   bool
}

// Invented people; the BSNs pass the eleven-test but belong to no one
// (the 11122233x range is the one used in examples).
var demoCandidates = []demoCandidate{
	{"ALM-0001", "Lisa", "Hendriks", "14-02-1991", "1315 RC", "Almere", "111222333", "01-03-2023", "almere", true},
	{"ALM-0002", "Mohammed", "Bakkali", "03-09-1984", "1324 AB", "Almere", "123456782", "15-06-2021", "almere", true},
	{"ALM-0003", "Sandra", "de Groot", "22-11-1975", "1335 KL", "Almere", "", "01-01-2020", "almere", false},
	{"LEL-0001", "Tom", "Verbeek", "30-07-1998", "8232 XB", "Lelystad", "", "01-09-2024", "lelystad", true},
}

func loadCandidates(ctx context.Context, db *store.DB, d *Data) error {
	sys := &opstap.Actor{System: true}
	for i, dc := range demoCandidates {
		born, _ := opstap.ParseDate(dc.born)
		start, _ := opstap.ParseDate(dc.benefitStart)
		r := candidate.Registration{
			CommissionerOrgID: d.Orgs[dc.org], ExternalRef: dc.ref,
			Basic:       candidate.Basic{FirstName: dc.first, LastName: dc.last, BirthDate: born, Postcode: dc.postcode, City: dc.city, Gender: []string{"f", "m", "f", "m"}[i]},
			BSN:         dc.bsn,
			BenefitKind: "participatiewet", BenefitStart: start,
		}
		if dc.coached {
			r.CoachUserID = d.Users["coach@demo.opstap.nl"]
		}
		c, err := db.RegisterCandidate(ctx, sys, r)
		if err != nil {
			return err
		}
		d.Candidates = append(d.Candidates, c.ID)
	}
	// The demo candidate account is Lisa Hendriks' portal login.
	return db.LinkCandidateUser(ctx, sys, d.Candidates[0], d.Users["kandidaat@demo.opstap.nl"])
}
