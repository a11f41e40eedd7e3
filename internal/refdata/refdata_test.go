package refdata_test

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/refdata/refdatatest"
)

// sharedData reads a real published file (refdatatest.Read).
func sharedData(t testing.TB, rel string) io.Reader {
	t.Helper()
	return bytes.NewReader(refdatatest.Read(t, rel))
}

func TestParseESCORealFile(t *testing.T) {
	occs, err := refdata.ParseESCO(sharedData(t, refdatatest.ESCO))
	if err != nil {
		t.Fatal(err)
	}
	if len(occs) != 3007 {
		t.Errorf("occupations = %d, want 3007", len(occs))
	}
	groups := map[string]bool{}
	var first refdata.Occupation
	for _, o := range occs {
		groups[o.ISCO] = true
		if o.Code == "2654.1.7" {
			first = o
		}
	}
	if len(groups) != 426 {
		t.Errorf("ISCO unit groups = %d, want 426", len(groups))
	}
	// The first record: multi-line alternative labels inside a quoted field.
	want := []string{"toneelmeester", "inspiciënte", "technisch directeur", "chef-inspiciënt"}
	if first.Label != "inspiciënt" || first.ISCO != "2654" || strings.Join(first.AltLabels, "|") != strings.Join(want, "|") ||
		first.URI != "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34" || !strings.HasPrefix(first.Description, "Technische directeuren") {
		t.Errorf("first occupation = %+v", first)
	}
}

func TestParsePostcodesRealFile(t *testing.T) {
	ps, err := refdata.ParsePostcodes(sharedData(t, refdatatest.Postcodes))
	if err != nil {
		t.Fatal(err)
	}
	// 4,334 lines, 4,086 distinct postcodes: one row per postcode.
	if len(ps) != 4086 {
		t.Errorf("postcodes = %d, want 4086", len(ps))
	}
	ms := refdata.Municipalities(ps)
	// The README counts 342 distinct values of the code column; one of
	// them is empty (the villages of Voorne aan Zee, merged in 2023), so 341
	// municipalities have a CBS code.
	if len(ms) != 341 {
		t.Errorf("municipalities = %d, want 341", len(ms))
	}
	noMunicipality := 0
	byCode := map[string]refdata.Postcode{}
	for _, p := range ps {
		byCode[p.Code4] = p
		if p.CBSCode == "" {
			noMunicipality++
		}
	}
	if noMunicipality == 0 {
		t.Error("expected the Voorne aan Zee postcodes without municipality")
	}
	almere := byCode["1315"]
	if almere.Place != "Almere" || almere.Municipality != "Almere" || almere.CBSCode != "0034" || almere.Province != "Flevoland" {
		t.Errorf("1315 = %+v", almere)
	}
	// 7849: De Kiel (52.8625, 6.7444) and Schoonoord (52.8446, 6.7598),
	// "Coevorden Municipality": first place, mean coordinates, plain name.
	dup := byCode["7849"]
	if dup.Place != "De Kiel" || dup.Municipality != "Coevorden" || dup.CBSCode != "0109" ||
		math.Abs(dup.Lat-52.85355) > 1e-9 || math.Abs(dup.Lon-6.7521) > 1e-9 {
		t.Errorf("7849 = %+v", dup)
	}
}

func TestParseESCOMalformed(t *testing.T) {
	const header = "conceptUri,iscoGroup,preferredLabel,altLabels,description,code\n"
	const uri = "http://data.europa.eu/esco/occupation/x"
	good := uri + "1,9412,keukenhulp,\"hulpkok\nkeukenassistent\",Helpt.,9412.1\n"
	cases := []struct {
		name, in, want string
	}{
		{"empty file", "", "the file is empty"},
		{"header only", header, "the file holds no occupations"},
		{"not the ESCO export", "a,b,c\n1,2,3\n", "line 1: column conceptUri is missing"},
		{"short ISCO group, after a two-line record", header + good + uri + "2,941,x,,,941.1\n", "line 4: ISCO group \"941\""},
		{"code outside its group", header + good + uri + "2,9412,x,,,9411.1\n", "line 4: ESCO code \"9411.1\""},
		{"malformed code", header + uri + "2,9412,x,,,9412..1\n", "line 2: ESCO code"},
		{"no label", header + uri + "2,9412,  ,,,9412.2\n", "line 2: the occupation has no preferred label"},
		{"not an ESCO URI", header + "urn:x,9412,x,,,9412.2\n", "line 2: \"urn:x\" is not an ESCO occupation URI"},
		{"duplicate URI", header + good + "\n" + good, "line 5: occupation " + uri + "1 appeared before, on line 2"},
		{"unbalanced quote after a multi-line field", header + good + uri + "2,9412,\"x,,,9412.2\n", "line 4: not valid CSV"},
		{"too few fields", header + good + uri + "2,9412,x\n", "line 4: not valid CSV"},
		{"not UTF-8", header + uri + "2,9412,caf\xe9,,,9412.2\n", "line 2: the text is not UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := refdata.ParseESCO(strings.NewReader(c.in))
			checkFileError(t, err, c.want)
		})
	}
}

// checkFileError wants an EINVALID error on the "file" field whose
// formatted message contains want.
func checkFileError(t *testing.T, err error, want string) {
	t.Helper()
	e := opstap.AsError(err)
	if e == nil || e.Code != opstap.EINVALID || e.Field != "file" {
		t.Fatalf("err = %v, want an EINVALID error on field file", err)
	}
	if msg := fmt.Sprintf(e.Message, e.Args...); !strings.Contains(msg, want) {
		t.Errorf("err = %q, want it to contain %q", msg, want)
	}
}

func TestParsePostcodesMalformed(t *testing.T) {
	line := func(f ...string) string { return strings.Join(f, "\t") + "\n" }
	ok := line("NL", "1315", "Almere", "Flevoland", "16", "Gemeente Almere", "0034", "", "", "52.3746", "5.2139", "")
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "the file holds no postcodes"},
		{"comma-separated", "NL,1315,Almere\n", "line 1: expected 12 tab-separated columns, found 1"},
		{"other country", ok + line("BE", "1000", "Brussel", "", "", "", "", "", "", "50.8", "4.3", ""), "line 2: country \"BE\""},
		{"six-character postcode", line("NL", "1315 AB", "Almere", "", "", "", "", "", "", "52.3", "5.2", ""), "line 1: postcode \"1315 AB\" is not four digits"},
		{"postcode below 1000", line("NL", "0999", "X", "", "", "", "", "", "", "52.3", "5.2", ""), "line 1: postcode \"0999\""},
		{"no place", ok + ok + line("NL", "1316", "", "", "", "", "", "", "", "52.3", "5.2", ""), "line 3: the place name is missing"},
		{"latitude not a number", line("NL", "1316", "Almere", "", "", "", "", "", "", "52,3", "5.2", ""), "line 1: coordinate \"52,3\""},
		{"longitude out of range", line("NL", "1316", "Almere", "", "", "", "", "", "", "52.3", "500", ""), "line 1: coordinate \"500\""},
		{"CBS code with letters", line("NL", "1316", "Almere", "", "", "Almere", "GM0034", "", "", "52.3", "5.2", ""), "line 1: CBS municipality code \"GM0034\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := refdata.ParsePostcodes(strings.NewReader(c.in))
			checkFileError(t, err, c.want)
		})
	}
}

func TestParsePostcodesQuirks(t *testing.T) {
	in := "\uFEFFNL\t8232\tLelystad\tFlevoland\t16\tLelystad Municipality\t995\t\t\t52.5\t5.4\t\r\n" +
		"\n" +
		"NL\t3221\tHellevoetsluis\t\t\t\t\t\t\t51.8314\t4.1219\t\n" +
		"NL\t8232\tLelystad-Haven\tFlevoland\t16\tGemeente Lelystad\t0995\t\t\t52.6\t5.6\t\n"
	ps, err := refdata.ParsePostcodes(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Code4 != "3221" || ps[1].Code4 != "8232" {
		t.Fatalf("postcodes = %+v, want 3221 and 8232 in order", ps)
	}
	if p := ps[0]; p.CBSCode != "" || p.Municipality != "" {
		t.Errorf("postcode without municipality = %+v", p)
	}
	if p := ps[1]; p.Place != "Lelystad" || p.CBSCode != "0995" || p.Municipality != "Lelystad" || p.Lat != 52.55 || p.Lon != 5.5 {
		t.Errorf("merged postcode = %+v, want first place, padded CBS code, mean coordinates", p)
	}
	if ms := refdata.Municipalities(ps); len(ms) != 1 || ms[0] != (refdata.Municipality{CBSCode: "0995", Name: "Lelystad", Province: "Flevoland"}) {
		t.Errorf("municipalities = %+v", ms)
	}
}

func TestSamplesParse(t *testing.T) {
	f, err := refdata.Sample.Open(refdata.SampleOccupations)
	if err != nil {
		t.Fatal(err)
	}
	occs, err := refdata.ParseESCO(f)
	if err != nil || len(occs) < 25 {
		t.Fatalf("sample occupations: %d, %v", len(occs), err)
	}
	f, err = refdata.Sample.Open(refdata.SamplePostcodes)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := refdata.ParsePostcodes(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.CBSCode != "0034" && p.CBSCode != "0995" {
			t.Errorf("sample postcode %s lies in %s, want Almere or Lelystad only", p.Code4, p.CBSCode)
		}
	}
}

// TestSampleMatchesRealFile: every sample occupation carries the URI, code,
// ISCO group and preferred label that ESCO publishes, and only alternative
// labels ESCO has.
func TestSampleMatchesRealFile(t *testing.T) {
	real, err := refdata.ParseESCO(sharedData(t, refdatatest.ESCO))
	if err != nil {
		t.Fatal(err)
	}
	byURI := map[string]refdata.Occupation{}
	for _, o := range real {
		byURI[o.URI] = o
	}
	f, _ := refdata.Sample.Open(refdata.SampleOccupations)
	sample, err := refdata.ParseESCO(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range sample {
		r, ok := byURI[o.URI]
		if !ok || r.Code != o.Code || r.ISCO != o.ISCO || r.Label != o.Label {
			t.Errorf("sample %v differs from ESCO's %v", o, r)
		}
		alts := "\n" + strings.Join(r.AltLabels, "\n") + "\n"
		for _, a := range o.AltLabels {
			if !strings.Contains(alts, "\n"+a+"\n") {
				t.Errorf("sample %v: alternative label %q is not ESCO's", o, a)
			}
		}
	}
}
