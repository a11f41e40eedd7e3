package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

const goodCSV = "external_ref;first_name;last_name;birth_date;bsn;benefit_kind;benefit_start;postcode;coach_email\n" +
	"R-1;Anna;Jansen;01-02-1990;111222333;participatiewet;01-01-2024;1311 AB;coach@p.nl\n" +
	"R-2;Eric;Öztürk;1985-07-15;;ww;15-03-2025;;\n"

func parse(t *testing.T, f *fixture, body string) ([]candidate.CSVRow, error) {
	t.Helper()
	today, _ := opstap.ParseDate("2026-11-24")
	return candidate.ParseCSV(strings.NewReader(body), f.municipality, today)
}

func TestBulkRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rows, err := parse(t, f, goodCSV)
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.RegisterBulk(ctx, f.manager, rows)
		if err != nil || res.Created != 2 || res.Skipped != 0 {
			t.Fatalf("first upload: %+v %v", res, err)
		}
		// The same file again creates no duplicates.
		res, err = db.RegisterBulk(ctx, f.manager, rows)
		if err != nil || res.Created != 0 || res.Skipped != 2 {
			t.Fatalf("second upload: %+v %v", res, err)
		}
		cs, _ := db.FindCandidates(ctx, f.manager, store.CandidateFilter{})
		if len(cs) != 2 {
			t.Fatalf("%d candidates", len(cs))
		}
		// A row the store refuses (unknown coach) rejects the whole file.
		bad := goodCSV + "R-3;Piet;Pietersen;01-01-1970;;;;;nobody@p.nl\n"
		bad = strings.Replace(bad, "R-1", "R-9", 1)
		rows, err = parse(t, f, bad)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.RegisterBulk(ctx, f.manager, rows)
		var fe *candidate.FileError
		if !errors.As(err, &fe) || len(fe.Rows) != 1 || fe.Rows[0].Row != 4 || fe.Rows[0].Field != "coach_email" {
			t.Fatalf("unknown coach: %v %+v", err, fe)
		}
		if opstap.ErrorCode(err) != opstap.EINVALID {
			t.Fatalf("code %s", opstap.ErrorCode(err))
		}
		cs, _ = db.FindCandidates(ctx, f.manager, store.CandidateFilter{})
		if len(cs) != 2 {
			t.Fatalf("a rejected file stored something: %d candidates", len(cs))
		}
	})
}

func TestParseCSVErrors(t *testing.T) {
	f := &fixture{municipality: "m"}
	tests := []struct {
		name  string
		body  string
		row   int
		field string
	}{
		{"wrong delimiter", "external_ref|first_name|last_name|birth_date\nR|A|B|01-01-1990\n", 1, "external_ref|first_name|last_name|birth_date"},
		{"missing column", "external_ref;first_name;birth_date\nR;A;01-01-1990\n", 1, "last_name"},
		{"unknown column", "external_ref;first_name;last_name;birth_date;shoe_size\nR;A;B;01-01-1990;44\n", 1, "shoe_size"},
		{"latin-1 encoding", "external_ref;first_name;last_name;birth_date\nR;Jos\xe9;B;01-01-1990\n", 2, "file"},
		{"bad BSN", "external_ref;first_name;last_name;birth_date;bsn\nR;A;B;01-01-1990;123456789\n", 2, "bsn"},
		{"bad date", "external_ref;first_name;last_name;birth_date\nR;A;B;31-02-1990\n", 2, "birth_date"},
		{"future birth", "external_ref;first_name;last_name;birth_date\nR;A;B;01-01-2030\n", 2, "birth_date"},
		{"future benefit", "external_ref;first_name;last_name;birth_date;benefit_kind;benefit_start\nR;A;B;01-01-1990;ww;01-01-2030\n", 2, "benefit_start"},
		{"duplicate ref", "external_ref;first_name;last_name;birth_date\nR;A;B;01-01-1990\nR;C;D;01-01-1991\n", 3, "external_ref"},
		{"missing ref", "external_ref;first_name;last_name;birth_date\n;A;B;01-01-1990\n", 2, "external_ref"},
		{"ragged row", "external_ref;first_name;last_name;birth_date\nR;A;B\n", 2, "file"},
		{"empty", "", 1, "file"},
		{"header only", "external_ref;first_name;last_name;birth_date\n", 2, "file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(t, f, tt.body)
			var fe *candidate.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("no file error: %v", err)
			}
			got := fe.Rows[0]
			if got.Row != tt.row || got.Field != tt.field {
				t.Fatalf("first error %+v, want row %d field %s", got, tt.row, tt.field)
			}
		})
	}
}

func TestParseCSVCommaAndBOM(t *testing.T) {
	f := &fixture{municipality: "m"}
	body := "\ufeffExternal_Ref,First_Name,Last_Name,Birth_Date\nR-1,Zoë,\"van den Berg, jr\",4-7-1993\n\n"
	rows, err := parse(t, f, body)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Registration.Basic.LastName != "van den Berg, jr" || rows[0].Registration.Basic.BirthDate.String() != "1993-07-04" {
		t.Fatalf("%+v", rows)
	}
}

// BenchmarkBulkRegistration measures a 10,000-row CSV registration
// (issue 3 goal: under 10 s), parse included.
func BenchmarkBulkRegistration(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("external_ref;first_name;last_name;birth_date;bsn;benefit_kind;benefit_start;postcode;email\n")
	for i := 0; i < benchRows; i++ {
		fmt.Fprintf(&sb, "R-%05d;Voornaam%d;Achternaam%d;%02d-%02d-19%02d;111222333;participatiewet;01-01-2024;13%02d AB;k%d@example.nl\n", i, i, i, 1+i%28, 1+i%12, 50+i%50, 10+i%90, i)
	}
	body := sb.String()
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := storetest.Open(b, d)
				f := newFixture(b, db)
				b.StartTimer()
				today, _ := opstap.ParseDate("2026-11-24")
				rows, err := candidate.ParseCSV(strings.NewReader(body), f.municipality, today)
				if err != nil {
					b.Fatal(err)
				}
				res, err := db.RegisterBulk(context.Background(), f.manager, rows)
				if err != nil || res.Created != benchRows {
					b.Fatalf("%+v %v", res, err)
				}
			}
		})
	}
}

var benchRows = 10000
