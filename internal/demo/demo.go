// Package demo loads demonstration data: one account per role, a few
// commissioners, client employers and candidates, so a newcomer can try
// every role at once. All people and organisations are invented.
package demo

import (
	"context"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/store"
)

// Password is the demo accounts' password. Demo data is for trying Opstap
// out, never for a database with real people in it.
const Password = "opstap-demo-2026"

// Account is a demo account as shown at start-up.
type Account struct {
	Role         opstap.Role
	Email        string
	Organisation string
}

type org struct {
	key, name string
	kind      opstap.OrgKind
	cbs       string
}

var orgs = []org{
	{"provider", "Opstap Re-integratie B.V.", opstap.OrgProvider, ""},
	{"almere", "Gemeente Almere", opstap.OrgMunicipality, "0034"},
	{"lelystad", "Gemeente Lelystad", opstap.OrgMunicipality, "0995"},
	{"uwv", "UWV", opstap.OrgUWV, ""},
	{"bakkerij", "Bakkerij De Korenschoof", opstap.OrgClientEmployer, ""},
	{"groen", "Groenvoorziening Flevoland", opstap.OrgClientEmployer, ""},
}

type user struct {
	role       opstap.Role
	email      string
	name       string
	org        string
	access     opstap.Action
	expireDays int
}

var users = []user{
	{opstap.RoleCoach, "coach@demo.opstap.nl", "Sanne de Boer", "provider", opstap.Write, 0},
	{opstap.RoleMedicalExpert, "arts@demo.opstap.nl", "Dr. Pieter Visser", "provider", opstap.Write, 0},
	{opstap.RoleFinance, "financien@demo.opstap.nl", "Fatima El Amrani", "provider", opstap.Write, 0},
	{opstap.RolePrivacyOfficer, "privacy@demo.opstap.nl", "Joost Mulder", "provider", opstap.Write, 0},
	{opstap.RoleComplaintsDesk, "klachten@demo.opstap.nl", "Ingrid Smit", "provider", opstap.Write, 0},
	{opstap.RoleAdmin, "beheer@demo.opstap.nl", "Ruud Jansen", "provider", opstap.Write, 0},
	{opstap.RoleAuditor, "auditor@demo.opstap.nl", "Marloes Bakker", "provider", opstap.Read, 90},
	{opstap.RoleCaseManager, "klantmanager@demo.opstap.nl", "Kees van Dijk", "almere", opstap.Write, 0},
	{opstap.RoleEmployer, "werkgever@demo.opstap.nl", "Ahmed Yilmaz", "bakkerij", opstap.Write, 0},
	{opstap.RoleCandidate, "kandidaat@demo.opstap.nl", "Lisa Hendriks", "almere", opstap.Write, 0},
}

// demoTOTP are fixed demo TOTP secrets (base32), so that the same codes
// work after a restart and in any authenticator app a newcomer tries.
const demoTOTP = "JBSWY3DPEHPK3PXPOPSTAPDEMO234567"

// Data holds what earlier loaders created, for later ones to build on.
type Data struct {
	Orgs       map[string]string // key ("almere", "bakkerij", …) → organisation id
	Users      map[string]string // e-mail → user id
	Candidates []string          // candidate ids, in creation order
	// Fresh is true on the run that created the base data; feature loaders
	// add their data only then, so restarts do not duplicate it.
	Fresh bool
}

// loaders run after the base data, in order; feature files append theirs
// from an init function.
var loaders []func(ctx context.Context, db *store.DB, d *Data) error

// Load creates the demo data once; on later runs it returns the accounts.
func Load(ctx context.Context, db *store.DB) ([]Account, error) {
	sys := &opstap.Actor{System: true}
	var out []Account
	existing, err := db.FindOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	d := &Data{Users: map[string]string{}, Fresh: len(existing) == 0}
	ids := map[string]string{}
	d.Orgs = ids
	for _, o := range existing {
		for _, d := range orgs {
			if d.name == o.Name {
				ids[d.key] = o.ID
			}
		}
	}
	for _, d := range orgs {
		if ids[d.key] != "" {
			continue
		}
		o := &account.Organisation{Name: d.name, Kind: d.kind, CBSCode: d.cbs}
		if err := db.CreateOrganisation(ctx, sys, o); err != nil {
			return nil, err
		}
		ids[d.key] = o.ID
	}
	for _, u := range users {
		out = append(out, Account{Role: u.role, Email: u.email, Organisation: nameOf(u.org)})
		if have, err := db.FindUserByEmail(ctx, u.email); err == nil {
			d.Users[u.email] = have.ID
			continue
		}
		g := access.GrantSpec{Role: u.role, Access: u.access}
		if u.expireDays > 0 {
			t := db.Now().Add(time.Duration(u.expireDays) * 24 * time.Hour)
			g.ExpiresAt = &t
		}
		created, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: ids[u.org], Email: u.email, Name: u.name, Password: Password, Grants: []access.GrantSpec{g}})
		if err != nil {
			return nil, err
		}
		d.Users[u.email] = created.ID
		if u.role.ReadsDossiers() {
			if err := db.SetTOTPSecret(ctx, sys, created.ID, demoTOTP); err != nil {
				return nil, err
			}
		}
	}
	if !d.Fresh {
		return out, nil
	}
	for _, l := range loaders {
		if err := l(ctx, db, d); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func nameOf(key string) string {
	for _, o := range orgs {
		if o.key == key {
			return o.name
		}
	}
	return ""
}
