package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// dossierFixture adds a client employer and a finance clerk to the
// candidates fixture.
type dossierFixture struct {
	*fixture
	employer, finance *opstap.Actor
}

func newDossierFixture(t *testing.T, db *store.DB) *dossierFixture {
	t.Helper()
	ctx := context.Background()
	sys := &opstap.Actor{System: true}
	f := &dossierFixture{fixture: newFixture(t, db)}
	emp := &account.Organisation{Name: "Bakkerij", Kind: opstap.OrgClientEmployer}
	if err := db.CreateOrganisation(ctx, sys, emp); err != nil {
		t.Fatal(err)
	}
	orgs, _ := db.FindOrganisations(ctx)
	var prov string
	for _, o := range orgs {
		if o.Kind == opstap.OrgProvider {
			prov = o.ID
		}
	}
	user := func(email, org string, role opstap.Role) *opstap.Actor {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: org, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	f.employer = user("baas@bakkerij.nl", emp.ID, opstap.RoleEmployer)
	f.finance = user("geld@p.nl", prov, opstap.RoleFinance)
	return f
}

func note(kind dossier.EntryKind, title, body string) dossier.EntryInput {
	d, _ := opstap.ParseDate("2025-03-01")
	return dossier.EntryInput{Kind: kind, Title: title, Body: body, OccurredOn: d}
}

func TestDossierEntryHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDossierFixture(t, db)
		c := f.register(t, "D-1", "Anna", "Jansen")
		e, err := db.CreateEntry(ctx, f.coach, c.ID, note(dossier.EntryConversationNote, "Intake", "Wil graag in de zorg werken"), store.PurposeGuidance)
		if err != nil {
			t.Fatal(err)
		}
		for i, body := range []string{"Wil in de zorg of de kinderopvang werken", "Kiest voor de kinderopvang"} {
			in := note(dossier.EntryConversationNote, "Intake", body)
			in.Version = i + 1
			if _, err := db.UpdateEntry(ctx, f.coach, c.ID, e.ID, in, store.PurposeGuidance); err != nil {
				t.Fatal(err)
			}
		}
		// Every change keeps the earlier text, newest first.
		vs, err := db.EntryHistory(ctx, f.coach, c.ID, e.ID, store.PurposeGuidance, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 || !vs[0].Current || vs[0].Version != 3 || vs[2].Body != "Wil graag in de zorg werken" || vs[1].SavedBy != f.coach.UserID {
			t.Fatalf("history %+v", vs)
		}
		// Nothing of the text is stored in clear.
		if n := storetest.ClearIn(t, db, "dossier_entries", "zorg", "ciphertext") + storetest.ClearIn(t, db, "dossier_entry_versions", "zorg", "ciphertext"); n != 0 {
			t.Fatalf("text in clear: %d", n)
		}
		tests := []struct {
			name  string
			actor *opstap.Actor
			in    dossier.EntryInput
			code  string
			field string
		}{
			{"stale version is a conflict", f.coach, dossier.EntryInput{Kind: dossier.EntryConversationNote, Title: "x", OccurredOn: vs[0].OccurredOn, Version: 1}, opstap.ECONFLICT, "version"},
			{"a note cannot become medical [002 art 4.3]", f.medic, note(dossier.EntryDiagnosis, "x", "y"), opstap.EFORBIDDEN, ""},
			{"assigned coach may not move it to the medical segment", f.coach, note(dossier.EntryDiagnosis, "x", "y"), opstap.EINVALID, "kind"},
			{"other coach may not write [001 Wat gebeurt er]", f.coach2, note(dossier.EntryResult, "x", "y"), opstap.EFORBIDDEN, ""},
			{"case manager may not write notes", f.manager, note(dossier.EntryResult, "x", "y"), opstap.EFORBIDDEN, ""},
			{"future date", f.coach, dossier.EntryInput{Kind: dossier.EntryResult, Title: "x", OccurredOn: opstap.DateOf(db.Now()).AddDays(2)}, opstap.EINVALID, "occurred_on"},
			{"empty title", f.coach, note(dossier.EntryResult, " ", "y"), opstap.EINVALID, "title"},
			{"unknown kind", f.coach, note("gossip", "x", "y"), opstap.EINVALID, "kind"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.UpdateEntry(ctx, tt.actor, c.ID, e.ID, tt.in, store.PurposeGuidance)
				if opstap.ErrorCode(err) != tt.code || (tt.field != "" && opstap.AsError(err).Field != tt.field) {
					t.Fatalf("err %v, want %s %s", err, tt.code, tt.field)
				}
			})
		}
		if vs, _ := db.EntryHistory(ctx, f.coach, c.ID, e.ID, store.PurposeGuidance, ""); len(vs) != 3 {
			t.Fatalf("refused updates changed the history: %d versions", len(vs))
		}
		// Another candidate's path does not reach the entry.
		c2 := f.register(t, "D-2", "Bram", "Bos")
		if _, err := db.Entry(ctx, f.coach, c2.ID, e.ID, store.PurposeGuidance, ""); opstap.ErrorCode(err) != opstap.ENOTFOUND {
			t.Fatalf("entry under another candidate: %v", err)
		}
	})
}

func TestDossierPageAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDossierFixture(t, db)
		c := f.register(t, "P-1", "Anna", "Jansen")
		for i := range store.EntryPage + 3 {
			in := note(dossier.NoteKinds[i%len(dossier.NoteKinds)], "Gesprek", "tekst")
			in.OccurredOn = in.OccurredOn.AddDays(i)
			if _, err := db.CreateEntry(ctx, f.coach, c.ID, in, store.PurposeGuidance); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name   string
			actor  *opstap.Actor
			reason string
			code   string
			audits int // entries logged: basic, notes, education when allowed
		}{
			{"assigned coach", f.coach, "", "", 3},
			{"other coach with a reason [001]", f.coach2, "vervanging wegens ziekte", "", 3},
			{"other coach without a reason", f.coach2, "", opstap.EFORBIDDEN, 1},
			{"case manager has no notes [002 art 5.1]", f.manager, "", opstap.EFORBIDDEN, 1},
			{"medical expert has no notes", f.medic, "", opstap.EFORBIDDEN, 1},
			{"employer", f.employer, "", opstap.EFORBIDDEN, 1},
			{"finance", f.finance, "", opstap.EFORBIDDEN, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := auditCount(t, db, c.ID)
				p, err := db.DossierPage(ctx, tt.actor, c.ID, store.EntryQuery{}, store.PurposeGuidance, tt.reason)
				if opstap.ErrorCode(err) != tt.code {
					t.Fatalf("err %v, want %q", err, tt.code)
				}
				if got := auditCount(t, db, c.ID) - before; got != tt.audits {
					t.Fatalf("%d audit entries, want %d", got, tt.audits)
				}
				if err == nil && (len(p.Entries) != store.EntryPage || !p.More || p.Entries[0].OccurredOn.Before(p.Entries[1].OccurredOn) || p.Candidate.Basic.FirstName != "Anna") {
					t.Fatalf("page: %d entries, more %v", len(p.Entries), p.More)
				}
			})
		}
		older, err := db.Entries(ctx, f.coach, c.ID, opstap.CatNotes, store.EntryQuery{Page: 1}, store.PurposeGuidance, "")
		if err != nil || len(older.Entries) != 3 || older.More {
			t.Fatalf("second page: %d %v", len(older.Entries), err)
		}
		byKind, err := db.Entries(ctx, f.coach, c.ID, opstap.CatNotes, store.EntryQuery{Kind: dossier.EntryResult}, store.PurposeGuidance, "")
		if err != nil || len(byKind.Entries) != 10 {
			t.Fatalf("results: %d %v", len(byKind.Entries), err)
		}
	})
}

func auditCount(t *testing.T, db *store.DB, candidateID string) int {
	t.Helper()
	es, err := db.FindAuditEntries(context.Background(), store.AuditFilter{CandidateID: candidateID})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

var pdf = storetest.PDF("curriculum vitae Anna Jansen")

func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDossierFixture(t, db)
		c := f.register(t, "U-1", "Anna", "Jansen")
		cv, err := db.UploadDocument(ctx, f.coach, c.ID, dossier.DocCV, `C:\Users\anna\CV Anna.pdf`, pdf)
		if err != nil {
			t.Fatal(err)
		}
		if cv.Filename != "CV Anna.pdf" || cv.ContentType != dossier.TypePDF {
			t.Fatalf("cv %+v", cv)
		}
		if _, err := db.UploadDocument(ctx, f.coach, c.ID, dossier.DocSignedAgreement, "overeenkomst.pdf", pdf); err != nil {
			t.Fatal(err)
		}
		big := append(append([]byte{}, pdf...), make([]byte, dossier.MaxDocumentSize)...)
		refusals := []struct {
			name    string
			actor   *opstap.Actor
			kind    dossier.DocumentKind
			content []byte
			code    string
			field   string
		}{
			{"too large", f.coach, dossier.DocCV, big, opstap.EINVALID, "file"},
			{"not a document", f.coach, dossier.DocCV, []byte("<html></html>"), opstap.EINVALID, "file"},
			{"unknown kind", f.coach, "photo", pdf, opstap.EINVALID, "kind"},
			{"other coach", f.coach2, dossier.DocCV, pdf, opstap.EFORBIDDEN, ""},
			{"employer", f.employer, dossier.DocCV, pdf, opstap.EFORBIDDEN, ""},
			{"case manager may not add letters", f.manager, dossier.DocLetter, pdf, opstap.EFORBIDDEN, ""},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.UploadDocument(ctx, tt.actor, c.ID, tt.kind, "x.pdf", tt.content)
				if opstap.ErrorCode(err) != tt.code || (tt.field != "" && opstap.AsError(err).Field != tt.field) {
					t.Fatalf("err %v, want %s %s", err, tt.code, tt.field)
				}
			})
		}
		// The content is sealed, and comes back whole.
		if n := storetest.ClearIn(t, db, "dossier_documents", "%PDF-", "content") + storetest.ClearIn(t, db, "dossier_documents", "Anna", "filename"); n != 0 {
			t.Fatalf("document in clear: %d", n)
		}
		doc, content, err := db.DownloadDocument(ctx, f.coach, c.ID, cv.ID, store.PurposeGuidance, "")
		if err != nil || !bytes.Equal(content, pdf) || doc.Filename != "CV Anna.pdf" {
			t.Fatalf("download %v", err)
		}
		// The case manager sees education (the CV), not the agreement (notes).
		lists := []struct {
			name  string
			actor *opstap.Actor
			kinds string
			code  string
		}{
			{"coach", f.coach, "signed_agreement,cv", ""},
			{"case manager", f.manager, "cv", ""},
			{"employer", f.employer, "", opstap.EFORBIDDEN},
			{"medical expert", f.medic, "", opstap.EFORBIDDEN},
		}
		for _, tt := range lists {
			t.Run(tt.name, func(t *testing.T) {
				docs, err := db.Documents(ctx, tt.actor, c.ID, store.PurposeGuidance, "")
				var kinds []string
				for _, d := range docs {
					kinds = append(kinds, string(d.Kind))
				}
				if opstap.ErrorCode(err) != tt.code || strings.Join(kinds, ",") != tt.kinds {
					t.Fatalf("kinds %v err %v", kinds, err)
				}
			})
		}
		agreement := ""
		docs, _ := db.Documents(ctx, f.coach, c.ID, store.PurposeGuidance, "")
		for _, d := range docs {
			if d.Kind == dossier.DocSignedAgreement {
				agreement = d.ID
			}
		}
		if _, _, err := db.DownloadDocument(ctx, f.manager, c.ID, agreement, store.PurposeGuidance, ""); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
			t.Fatalf("case manager downloads agreement: %v", err)
		}
	})
}

func TestMedicalSegment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDossierFixture(t, db)
		c := f.register(t, "M-1", "Anna", "Jansen")
		diag, err := db.CreateEntry(ctx, f.medic, c.ID, note(dossier.EntryDiagnosis, "Diagnose", "Hernia L4-L5"), store.PurposeGuidance)
		if err != nil {
			t.Fatal(err)
		}
		// Only the medical expert reads or writes it [002 art 4.3, 5.1].
		for _, tt := range []struct {
			name   string
			actor  *opstap.Actor
			reason string
		}{
			{"assigned coach", f.coach, ""},
			{"other coach with a reason", f.coach2, "vervanging wegens ziekte"},
			{"case manager", f.manager, ""},
			{"employer", f.employer, ""},
			{"finance", f.finance, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := db.Entries(ctx, tt.actor, c.ID, opstap.CatMedical, store.EntryQuery{}, store.PurposeGuidance, tt.reason); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
					t.Fatalf("list: %v", err)
				}
				if _, err := db.Entry(ctx, tt.actor, c.ID, diag.ID, store.PurposeGuidance, tt.reason); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
					t.Fatalf("read: %v", err)
				}
				if _, err := db.EntryHistory(ctx, tt.actor, c.ID, diag.ID, store.PurposeGuidance, tt.reason); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
					t.Fatalf("history: %v", err)
				}
				if _, err := db.CreateEntry(ctx, tt.actor, c.ID, note(dossier.EntryMedicalNote, "x", "y"), store.PurposeGuidance); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
					t.Fatalf("write: %v", err)
				}
			})
		}
		l, err := db.Entries(ctx, f.medic, c.ID, opstap.CatMedical, store.EntryQuery{}, store.PurposeGuidance, "")
		if err != nil || len(l.Entries) != 1 || l.Entries[0].Body != "Hernia L4-L5" {
			t.Fatalf("medic reads: %+v %v", l, err)
		}
		// The medical entries never show among the notes.
		if l, err := db.Entries(ctx, f.coach, c.ID, opstap.CatNotes, store.EntryQuery{}, store.PurposeGuidance, ""); err != nil || len(l.Entries) != 0 {
			t.Fatalf("notes: %+v %v", l, err)
		}
	})
}

func TestLimitationsSharing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDossierFixture(t, db)
		c := f.register(t, "L-1", "Anna", "Jansen")
		set := func(a *opstap.Actor, shared bool, codes ...string) error {
			_, err := db.SetLimitations(ctx, a, c.ID, store.Limitations{Codes: codes, SharedWithConsent: shared})
			return err
		}
		if err := set(f.medic, false, "no_night_shifts", "no_heavy_lifting", "no_heavy_lifting"); err != nil {
			t.Fatal(err)
		}
		read := func(a *opstap.Actor) (string, error) {
			l, err := db.Limitations(ctx, a, c.ID, store.PurposeGuidance, "")
			if err != nil {
				return "", err
			}
			return strings.Join(l.Codes, ","), nil
		}
		check := func(stage string, want map[*opstap.Actor]string) {
			t.Helper()
			for a, w := range want {
				got, err := read(a)
				if w == "denied" {
					if opstap.ErrorCode(err) != opstap.EFORBIDDEN {
						t.Errorf("%s: %s reads: %v", stage, a.Email, err)
					}
					continue
				}
				if err != nil || got != w {
					t.Errorf("%s: %s sees %q (%v), want %q", stage, a.Email, got, err, w)
				}
			}
		}
		both := "no_heavy_lifting,no_night_shifts"
		// Unshared limitations are invisible to everyone but the medical
		// expert [002 art 5.1]; the employer has no placement, so no relation.
		check("unshared", map[*opstap.Actor]string{f.medic: both, f.coach: "", f.manager: "", f.other: "denied", f.employer: "denied", f.finance: "denied"})
		if err := set(f.medic, true, "no_night_shifts", "no_heavy_lifting"); err != nil {
			t.Fatal(err)
		}
		check("shared", map[*opstap.Actor]string{f.medic: both, f.coach: both, f.manager: both, f.other: "denied"})
		for _, tt := range []struct {
			name  string
			actor *opstap.Actor
			codes []string
			code  string
		}{
			{"coach may not write", f.coach, nil, opstap.EFORBIDDEN},
			{"case manager may not write", f.manager, nil, opstap.EFORBIDDEN},
			{"unknown code", f.medic, []string{"hernia"}, opstap.EINVALID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if err := set(tt.actor, false, tt.codes...); opstap.ErrorCode(err) != tt.code {
					t.Fatalf("err %v", err)
				}
			})
		}
		check("after refusals", map[*opstap.Actor]string{f.coach: both})
		if n := storetest.ClearIn(t, db, "candidate_limitations", "night", "ciphertext"); n != 0 {
			t.Fatalf("limitations in clear: %d", n)
		}
	})
}
