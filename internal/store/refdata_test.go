package store_test

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/refdata/refdatatest"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

var system = &opstap.Actor{System: true}

// sample reads one of the demo sample files.
func sample(t testing.TB, name string) string {
	t.Helper()
	b, err := fs.ReadFile(refdata.Sample, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// importBoth imports an occupations and a postcodes file as the system.
func importBoth(t testing.TB, db *store.DB, occupations, postcodes string) (*store.RefdataImport, *store.RefdataImport) {
	t.Helper()
	ctx := context.Background()
	o, err := db.ImportOccupations(ctx, system, "occupations.csv", strings.NewReader(occupations))
	if err != nil {
		t.Fatalf("import occupations: %v", err)
	}
	p, err := db.ImportPostcodes(ctx, system, "NL.txt", strings.NewReader(postcodes))
	if err != nil {
		t.Fatalf("import postcodes: %v", err)
	}
	return o, p
}

func overview(t *testing.T, db *store.DB) *store.RefdataStatus {
	t.Helper()
	st, err := db.RefdataOverview(context.Background(), system)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func counts(st *store.RefdataStatus) [4]int {
	return [4]int{st.Occupations, st.Postcodes, st.Municipalities, len(st.Imports)}
}

func TestRefdataImportRealFiles(t *testing.T) {
	esco, nl := string(refdatatest.Read(t, refdatatest.ESCO)), string(refdatatest.Read(t, refdatatest.Postcodes))
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o, p := importBoth(t, db, esco, nl)
		if o.Rows != 3007 || o.Added != 3007 || p.Rows != 4086 || p.Added != 4086 || len(o.SHA256) != 64 || o.ImportedBy != "system" {
			t.Errorf("first import: %+v, %+v", o, p)
		}
		if got := counts(overview(t, db)); got != [4]int{3007, 4086, 341, 2} {
			t.Errorf("counts = %v, want 3007 occupations, 4086 postcodes, 341 municipalities, 2 imports", got)
		}
		// Importing the same files again changes no row.
		o2, p2 := importBoth(t, db, esco, nl)
		if o2.Added+o2.Removed+p2.Added+p2.Removed != 0 || o2.SHA256 != o.SHA256 {
			t.Errorf("re-import: %+v, %+v", o2, p2)
		}
		if got := counts(overview(t, db)); got != [4]int{3007, 4086, 341, 4} {
			t.Errorf("counts after re-import = %v", got)
		}
		pc, err := db.FindPostcode(ctx, "7849")
		if err != nil || pc.Place != "De Kiel" || pc.CBSCode != "0109" || pc.Lat != 52.85355 || pc.Lon != 6.7521 {
			t.Errorf("7849 = %+v, %v", pc, err)
		}
		if pc, err := db.FindPostcode(ctx, "3221"); err != nil || pc.CBSCode != "" || pc.Place != "Hellevoetsluis" {
			t.Errorf("postcode without municipality = %+v, %v", pc, err)
		}
		occ, err := db.FindOccupation(ctx, "2654.1.7")
		if err != nil || occ.Label != "inspiciënt" || len(occ.AltLabels) != 4 {
			t.Errorf("2654.1.7 = %+v, %v", occ, err)
		}
		found, err := db.FindOccupations(ctx, "INSPICIENT", 5)
		if err != nil || len(found) == 0 || found[0].Label != "inspiciënt" {
			t.Errorf("INSPICIENT found %v, %v", found, err)
		}
	})
}

// TestRefdataImportAllOrNothing: a file with one bad row changes nothing,
// not even the rows before it.
func TestRefdataImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		occs, pcs := sample(t, refdata.SampleOccupations), sample(t, refdata.SamplePostcodes)
		importBoth(t, db, occs, pcs)
		before := counts(overview(t, db))
		badOcc := strings.Replace(occs, "Wast af,", "Doet de afwas,", 1) + "Occupation,http://data.europa.eu/esco/occupation/x,94,x,,,94.1\r\n"
		if _, err := db.ImportOccupations(ctx, system, "bad.csv", strings.NewReader(badOcc)); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Fatalf("bad occupations file: err = %v, want invalid", err)
		}
		badPC := strings.Replace(pcs, "Almere", "Almere-Stad", 1) + "NL\t1399\tX\t\t\t\t\t\t\tnoord\t5.2\t\n"
		if _, err := db.ImportPostcodes(ctx, system, "bad.txt", strings.NewReader(badPC)); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Fatalf("bad postcodes file: err = %v, want invalid", err)
		}
		if got := counts(overview(t, db)); got != before {
			t.Errorf("counts after bad files = %v, want %v", got, before)
		}
		if o, _ := db.FindOccupation(ctx, "9412.2"); !strings.HasPrefix(o.Description, "Wast af") {
			t.Errorf("description changed by a refused file: %q", o.Description)
		}
		if p, _ := db.FindPostcode(ctx, "1309"); p.Place != "Almere" {
			t.Errorf("place changed by a refused file: %q", p.Place)
		}
	})
}

// TestRefdataReimportReplaces: a new file replaces the set: changed rows
// are updated, missing rows and municipalities removed.
func TestRefdataReimportReplaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		occs, pcs := sample(t, refdata.SampleOccupations), sample(t, refdata.SamplePostcodes)
		importBoth(t, db, occs, pcs)
		var lelystad, fewer []string
		for _, l := range strings.SplitAfter(pcs, "\n") {
			if strings.Contains(l, "\t0995\t") {
				lelystad = append(lelystad, strings.Replace(l, "\tLelystad\t", "\tLelystad-Centrum\t", 1))
			}
		}
		lines := strings.SplitAfter(occs, "\r\n")
		fewer = append(fewer, lines[0], lines[1]) // the header and the first record (CRLF ends records; labels break with LF)
		o, p := importBoth(t, db, strings.Join(fewer, ""), strings.Join(lelystad, ""))
		if o.Rows != 1 || o.Added != 0 || o.Removed != 31 || p.Rows != 19 || p.Added != 0 || p.Removed != 43 {
			t.Errorf("replacing import: %+v, %+v", o, p)
		}
		if got := counts(overview(t, db)); got != [4]int{1, 19, 1, 4} {
			t.Errorf("counts = %v", got)
		}
		if _, err := db.FindPostcode(ctx, "1315"); opstap.ErrorCode(err) != opstap.ENOTFOUND {
			t.Errorf("removed postcode: err = %v", err)
		}
		if _, err := db.FindMunicipality(ctx, "0034"); opstap.ErrorCode(err) != opstap.ENOTFOUND {
			t.Errorf("removed municipality: err = %v", err)
		}
		if p, err := db.FindPostcode(ctx, "8232"); err != nil || !strings.HasPrefix(p.Place, "Lelystad-Centrum") {
			t.Errorf("updated postcode = %+v, %v", p, err)
		}
		// Organisations keep their CBS code whatever the reference data says.
		if org, err := db.MunicipalityOrg(ctx, "0034"); err != nil || org.ID != f.municipality {
			t.Errorf("MunicipalityOrg(0034) = %+v, %v", org, err)
		}
	})
}

func TestRefdataImportNeedsAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		admin := f.user(t, "beheer@p.nl", opstap.RoleAdmin)
		for name, a := range map[string]*opstap.Actor{"coach": f.coach, "case manager": f.manager, "nobody": nil} {
			if _, err := db.ImportPostcodes(ctx, a, "NL.txt", strings.NewReader(sample(t, refdata.SamplePostcodes))); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
				t.Errorf("%s imports: err = %v, want forbidden", name, err)
			}
			if _, err := db.RefdataOverview(ctx, a); opstap.ErrorCode(err) != opstap.EFORBIDDEN {
				t.Errorf("%s reads the history: err = %v, want forbidden", name, err)
			}
		}
		imp, err := db.ImportPostcodes(ctx, admin, "NL.txt", strings.NewReader(sample(t, refdata.SamplePostcodes)))
		if err != nil || imp.ImportedBy != admin.UserID {
			t.Fatalf("admin import: %+v, %v", imp, err)
		}
		st, err := db.RefdataOverview(ctx, admin)
		if err != nil || len(st.Imports) != 1 || st.Imports[0].Source != "NL.txt" || st.Imports[0].Rows != 62 {
			t.Errorf("history = %+v, %v", st, err)
		}
	})
}

// user adds a provider account with one role.
func (f *fixture) user(t *testing.T, email string, role opstap.Role) *opstap.Actor {
	t.Helper()
	ctx := context.Background()
	orgs, err := f.db.FindOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Kind == opstap.OrgProvider {
			u, err := f.db.CreateUser(ctx, system, account.NewUser{OrgID: o.ID, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor(f.db.Now(), "127.0.0.1")
		}
	}
	t.Fatal("no provider")
	return nil
}

func TestFindOccupations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importBoth(t, db, sample(t, refdata.SampleOccupations), sample(t, refdata.SamplePostcodes))
		cases := []struct {
			name, q   string
			wantFirst string // label of the first result
			wantN     int    // at least this many results
		}{
			{"accent typed, label without", "pâtissier", "kok", 1},
			{"accent in the label, none typed, upper case", "PATISSIER", "kok", 1},
			{"alternative label", "vakkenvuller", "winkelmedewerker", 1},
			{"prefix of the label first", "magazijn", "magazijnmedewerker", 1},
			{"every word must match", "medewerker keuken", "medewerker keuken", 1},
			{"words in any label", "keuken hulp", "keukenhulp", 1},
			{"LIKE wildcards are plain text", "%_", "", 0},
			{"no match", "astronaut", "", 0},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := db.FindOccupations(ctx, c.q, 10)
				if c.q == "%_" {
					if opstap.ErrorCode(err) != opstap.EINVALID {
						t.Errorf("err = %v, want invalid", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(got) < c.wantN || (c.wantFirst != "" && got[0].Label != c.wantFirst) || (c.wantN == 0 && len(got) != 0) {
					t.Errorf("FindOccupations(%q) = %v, want first %q", c.q, got, c.wantFirst)
				}
			})
		}
		if _, err := db.FindOccupations(ctx, " a ", 10); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Errorf("one letter: err = %v, want invalid", err)
		}
		if got, _ := db.FindOccupations(ctx, "er", 3); len(got) != 3 {
			t.Errorf("limit 3 gave %d", len(got))
		}
	})
}

func TestFindReferenceRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		importBoth(t, db, sample(t, refdata.SampleOccupations), sample(t, refdata.SamplePostcodes))
		if o, err := db.FindOccupation(ctx, "http://data.europa.eu/esco/occupation/5d9e63a2-8013-434e-9f92-3b3d54a0c320"); err != nil || o.Code != "8160.2" {
			t.Errorf("by URI: %+v, %v", o, err)
		}
		if m, err := db.FindMunicipality(ctx, "0995"); err != nil || m.Name != "Lelystad" || m.Province != "Flevoland" {
			t.Errorf("municipality 0995 = %+v, %v", m, err)
		}
		if org, err := db.MunicipalityOrg(ctx, "0995"); err != nil || org.ID != f.municipality2 {
			t.Errorf("MunicipalityOrg(0995) = %+v, %v", org, err)
		}
		for _, c := range []struct {
			name string
			err  error
			code string
		}{
			{"unknown occupation", second(db.FindOccupation(ctx, "9999.9")), opstap.ENOTFOUND},
			{"unknown postcode", second(db.FindPostcode(ctx, "9999")), opstap.ENOTFOUND},
			{"malformed postcode", second(db.FindPostcode(ctx, "13155")), opstap.EINVALID},
			{"unknown municipality", second(db.FindMunicipality(ctx, "0363")), opstap.ENOTFOUND},
			{"malformed CBS code", second(db.FindMunicipality(ctx, "GM0034")), opstap.EINVALID},
			{"municipality without organisation", second(db.MunicipalityOrg(ctx, "0363")), opstap.ENOTFOUND},
		} {
			if opstap.ErrorCode(c.err) != c.code {
				t.Errorf("%s: err = %v, want %s", c.name, c.err, c.code)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

// BenchmarkRefdataImport imports both real files (3,007 occupations,
// 4,334 postcode lines) into a database that already holds them, the
// operator's yearly update; the first import runs outside the timer.
func BenchmarkRefdataImport(b *testing.B) {
	esco, nl := refdatatest.Read(b, refdatatest.ESCO), refdatatest.Read(b, refdatatest.Postcodes)
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			run := func() {
				if _, err := db.ImportOccupations(ctx, system, "occupations_nl.csv", bytes.NewReader(esco)); err != nil {
					b.Fatal(err)
				}
				if _, err := db.ImportPostcodes(ctx, system, "NL.txt", bytes.NewReader(nl)); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("first", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := storetest.Open(b, d)
					b.StartTimer()
					if _, err := db.ImportOccupations(ctx, system, "occupations_nl.csv", bytes.NewReader(esco)); err != nil {
						b.Fatal(err)
					}
					if _, err := db.ImportPostcodes(ctx, system, "NL.txt", bytes.NewReader(nl)); err != nil {
						b.Fatal(err)
					}
				}
			})
			run()
			b.Run("again", func(b *testing.B) {
				for b.Loop() {
					run()
				}
			})
		})
	}
}
