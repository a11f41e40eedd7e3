package csvsafe

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Jansen", "Jansen"},
		{"de Vries-Bakker", "de Vries-Bakker"},
		{"a=b", "a=b"},
		{" =1+1", " =1+1"},
		{`=HYPERLINK("http://evil.example","klik")`, `'=HYPERLINK("http://evil.example","klik")`},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"+31 6 1234", "'+31 6 1234"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"＝1+1", "'＝1+1"},
		{"＠SUM(1)", "'＠SUM(1)"},
		{"＋1", "'＋1"},
		{"－1", "'－1"},
		{"-", "'-"},
		{"+", "'+"},
		{"-.5", "'-.5"},
		{"-1e5", "'-1e5"},
		// Plain numbers keep their sign: they cannot be evaluated.
		{"-12", "-12"},
		{"-1.234,56", "-1.234,56"},
		{"+31612345678", "+31612345678"},
		{"'=already", "'=already"},
	}
	for _, tt := range tests {
		if got := Cell(tt.in); got != tt.want {
			t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriter: every cell of every record is neutralised, the file stays
// valid CSV, and a reader gets back the neutralised text.
func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Comma = ';'
	if err := w.Write([]string{"name", "note"}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll([][]string{{"=1+1", "@x"}, {"ok", "\t-1+1"}}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&b)
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "note"}, {"'=1+1", "'@x"}, {"ok", "'\t-1+1"}}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Fatalf("record %d cell %d = %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
}

// FuzzCell: no output starts with a formula character unless it is a plain
// signed number, and nothing but the apostrophe is ever added.
func FuzzCell(f *testing.F) {
	for _, s := range []string{"", "=1", "@a", "-1", "-1+1", "\t", "＝", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Cell(s)
		if got != s && got != "'"+s {
			t.Fatalf("Cell(%q) = %q", s, got)
		}
		if got != "" && dangerous(got) && !plainNumber(got) {
			t.Fatalf("Cell(%q) = %q starts with a formula character", s, got)
		}
		if plainNumber(s) && strings.ContainsAny(s[1:], "=+-@()!|") {
			t.Fatalf("plainNumber(%q) holds an operator", s)
		}
		if utf8.ValidString(s) != utf8.ValidString(got) {
			t.Fatalf("Cell(%q) changed UTF-8 validity", s)
		}
	})
}
