package history

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/csvfile"
	"github.com/opstap/opstap/internal/figures/figurestest"
)

var today = opstap.Date{Year: 2025, Month: 3, Day: 1}

const header = "kind;candidate;date;benefit_start;matchable;placement;first_day;last_day;hours_per_week;outcome;month;hours;reason\n"

func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // "row:field"
	}{
		{"unknown kind", header + "visit;a1;01-01-2024;;;;;;;;;;\n", []string{"2:kind"}},
		{"registration without date", header + "registration;a1;;;;;;;;;;;\n", []string{"2:date"}},
		{"field not used by the kind", header + "registration;a1;01-01-2024;;ja;;;;;;;;\n", []string{"2:matchable"}},
		{"bad date and month", header + "registration;a1;31-02-2024;;;;;;;;;;\nhours;;;;;p1;;;;;13-2024;8;\n", []string{"2:date", "3:month"}},
		{"future", header + "registration;a1;02-03-2025;;;;;;;;;;\n", []string{"2:date"}},
		{"bsn as reference", header + "registration;111222333;01-01-2024;;;;;;;;;;\n", []string{"2:candidate"}},
		{"reference with a space", header + "registration;Jan Jansen;01-01-2024;;;;;;;;;;\n", []string{"2:candidate"}},
		{"registered twice", header + "registration;a1;01-01-2024;;;;;;;;;;\nregistration;a1;02-01-2024;;;;;;;;;;\n", []string{"3:candidate"}},
		{"matchable not yes or no", header + "matchable;a1;01-01-2024;;misschien;;;;;;;;\n", []string{"2:matchable"}},
		{"placement rules", header + "placement;a1;;;;p1;2024-05-01;2024-04-30;61;promoted;;;\n", []string{"2:last_day", "2:hours_per_week", "2:outcome"}},
		{"placement twice", header + "placement;a1;;;;p1;2024-05-01;2024-05-30;20;;;;\nplacement;a2;;;;p1;2024-05-01;2024-05-30;20;;;;\n", []string{"3:placement"}},
		{"hours of an unknown placement", header + "hours;;;;;p9;;;;;2024-05;8;\n", []string{"2:placement"}},
		{"hours outside the placement", header + "placement;a1;;;;p1;2024-05-01;2024-05-30;20;;;;\nhours;;;;;p1;;;;;2024-06;8;\n", []string{"3:month"}},
		{"hours twice in a month", header + "placement;a1;;;;p1;2024-05-01;2024-05-30;20;;;;\nhours;;;;;p1;;;;;2024-05;8;\nhours;;;;;p1;;;;;05-2024;8;\n", []string{"4:month"}},
		{"hours not whole minutes, too many", header + "placement;a1;;;;p1;2024-05-01;2024-06-30;20;;;;\nhours;;;;;p1;;;;;2024-05;7,33;\nhours;;;;;p1;;;;;2024-06;745;\n", []string{"3:hours", "4:hours"}},
		{"unknown end reason", header + "end;a1;2024-05-01;;;;;;;;;;retired\n", []string{"2:reason"}},
		{"unknown column", "kind;name\nregistration;x\n", []string{"1:name"}},
		{"no kind column", "candidate;date\na1;01-01-2024\n", []string{"1:kind"}},
		{"row too short", header + "registration;a1\n", []string{"2:file"}},
		{"not UTF-8", header + "registration;a\xff;01-01-2024;;;;;;;;;;\n", []string{"2:file"}},
		{"no rows", header, []string{"2:file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(tt.body), today)
			var fe *csvfile.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseCSV = %v, want a file error", err)
			}
			var got []string
			for _, r := range fe.Rows {
				got = append(got, itoaRow(r))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("errors %v, want %v (%+v)", got, tt.want, fe.Rows)
			}
			if e := opstap.AsError(err); e == nil || e.Code != opstap.EINVALID || e.Field != "file" || e.Message != "the history has errors; nothing was imported" {
				t.Errorf("the whole file's error = %v", e)
			}
		})
	}
}

func itoaRow(r csvfile.RowError) string { return fmt.Sprintf("%d:%s", r.Row, r.Field) }

// TestParseCSVForms: ',' as separator, a byte-order mark, Dutch kinds and
// Dutch or ISO dates and months all read the same.
func TestParseCSVForms(t *testing.T) {
	body := "\xef\xbb\xbfKind,Candidate,Date,Matchable,Placement,First_day,Last_day,Hours_per_week,Month,Hours\n" +
		"aanmelding,A-1,29-02-2024,,,,,,,\nmatchbaar,A-1,2024-03-01,ja,,,,,,\nplaatsing,A-1,,,P/1,1-3-2024,31.05.2024,24,,\nuren,,,,P/1,,,,3-2024,\"7,5\"\n"
	recs, err := ParseCSV(strings.NewReader(body), today)
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	f := ToFacts("0034", recs)
	pl := f.Realised[0]
	if len(recs) != 4 || f.Registrations[0].RegisteredOn.String() != "2024-02-29" || !f.Matchable[0].Matchable ||
		pl.First.String() != "2024-03-01" || pl.Last.String() != "2024-05-31" || pl.Minutes[opstap.Month{Year: 2024, Month: 3}] != 450 {
		t.Errorf("records %+v, facts %+v", recs, f)
	}
	if pl.ID != "history:0034:placement:P/1" || pl.Candidate != "history:0034:A-1" || len(f.Candidates) != 1 || len(f.Placements) != 1 {
		t.Errorf("ids %q %q %v %v", pl.ID, pl.Candidate, f.Candidates, f.Placements)
	}
}

// TestToFactsOrder: a candidate's matchable changes are numbered by day,
// the file's order deciding within a day, whatever the rows' order.
func TestToFactsOrder(t *testing.T) {
	body := header + "matchable;a1;2024-05-01;;nee;;;;;;;;\nmatchable;a1;2024-04-01;;ja;;;;;;;;\nmatchable;a1;2024-05-01;;ja;;;;;;;;\n" +
		"end;a1;2024-06-01;;;;;;;;;;other\nend;a1;2024-07-01;;;;;;;;;;regular_work\n"
	recs, err := ParseCSV(strings.NewReader(body), today)
	if err != nil {
		t.Fatal(err)
	}
	f := ToFacts("0034", recs)
	var got []string
	for _, c := range f.Matchable {
		got = append(got, c.On.String()+map[bool]string{true: "+", false: "-"}[c.Matchable])
	}
	if strings.Join(got, " ") != "2024-04-01+ 2024-05-01- 2024-05-01+" || f.Matchable[2].Seq != 3 {
		t.Errorf("changes %v", f.Matchable)
	}
	if f.Ends[1].Seq != 2 || len(f.Figures(today).Outflows) != 1 {
		t.Errorf("ends %+v", f.Ends)
	}
}

// TestValidateAPI: the API's records are checked like a file's rows,
// numbered from 1.
func TestValidateAPI(t *testing.T) {
	yes := true
	recs := []Record{
		{Kind: KindRegistration, Candidate: "a1", Date: opstap.Date{Year: 2024, Month: 1, Day: 5}},
		{Kind: KindMatchable, Candidate: "a1", Date: opstap.Date{Year: 2024, Month: 1, Day: 5}, Matchable: &yes, Reason: "other"},
	}
	err := Validate(recs, today)
	var fe *csvfile.FileError
	if !errors.As(err, &fe) || len(fe.Rows) != 1 || fe.Rows[0].Row != 2 || fe.Rows[0].Field != "reason" {
		t.Fatalf("Validate = %v", err)
	}
	if err := Validate(recs[:1], today); err != nil {
		t.Errorf("Validate = %v", err)
	}
	if err := Validate(nil, today); !errors.As(err, &fe) || fe.Rows[0].Field != "records" {
		t.Errorf("Validate(nil) = %v", err)
	}
}

// TestWriteCSV: the dataset written back reads as the same records.
func TestWriteCSV(t *testing.T) {
	recs, err := ParseCSV(bytes.NewReader(figurestest.CSV), figurestest.Today)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, recs); err != nil {
		t.Fatal(err)
	}
	again, err := ParseCSV(&b, figurestest.Today)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(recs) {
		t.Fatalf("%d records, want %d", len(again), len(recs))
	}
	for i := range recs {
		if !sameRecord(recs[i], again[i]) {
			t.Errorf("record %d: %+v, want %+v", i, again[i], recs[i])
		}
	}
}

func sameRecord(a, b Record) bool {
	if (a.Matchable == nil) != (b.Matchable == nil) || (a.Matchable != nil && *a.Matchable != *b.Matchable) {
		return false
	}
	a.Matchable, b.Matchable = nil, nil
	ha, _ := opstap.ParseHours(a.Hours)
	hb, _ := opstap.ParseHours(b.Hours)
	a.Hours, b.Hours = "", ""
	return a == b && ha == hb
}

// FuzzParseCSV: any file is either refused with row errors or read into
// records that pass the checks again, and written back read the same.
func FuzzParseCSV(f *testing.F) {
	f.Add(string(figurestest.CSV))
	f.Add(header + "registration;a1;01-01-2024;01-01-2020;;;;;;;;;\n")
	f.Add("kind,candidate,date,matchable\nmatchbaar,x,1-1-2024,nee\n")
	f.Add(header + "placement;a1;;;;p1;2024-05-01;2024-05-30;20;;;;\nhours;;;;;p1;;;;;2024-05;8:30;\n")
	f.Fuzz(func(t *testing.T, body string) {
		recs, err := ParseCSV(strings.NewReader(body), today)
		if err != nil {
			var fe *csvfile.FileError
			if !errors.As(err, &fe) || len(fe.Rows) == 0 {
				t.Fatalf("error without rows: %v", err)
			}
			return
		}
		if errs := Check(recs, today); len(errs) > 0 {
			t.Fatalf("accepted records fail the checks: %+v", errs)
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, recs); err != nil {
			t.Fatal(err)
		}
		again, err := ParseCSV(&b, today)
		if err != nil || len(again) != len(recs) {
			t.Fatalf("written back: %v, %d records of %d", err, len(again), len(recs))
		}
		for i := range recs {
			if !sameRecord(recs[i], again[i]) {
				t.Fatalf("record %d: %+v, want %+v", i, again[i], recs[i])
			}
		}
		ToFacts("0034", recs).Figures(today)
	})
}
