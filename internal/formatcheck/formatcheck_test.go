package formatcheck

import (
	"strings"
	"testing"
)

const report = `<?xml version="1.0" encoding="UTF-8"?>
<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <svrl:fired-rule context="/"/>
  <svrl:failed-assert test="cbc:BuyerReference" flag="fatal" location="/*:Invoice[1]">
    <svrl:text>[BR-NL-2] For suppliers in the Netherlands,
       the invoice MUST contain either the buyer reference</svrl:text>
  </svrl:failed-assert>
  <svrl:failed-assert test="x" id="BR-CO-16" flag="fatal" location="/*:Invoice[1]"><svrl:text>[BR-CO-16]-Amount due</svrl:text></svrl:failed-assert>
  <svrl:failed-assert test="y" flag="warning" location="/*:Invoice[1]/*:Note[1]"><svrl:text>[BR-NL-29] not recommended</svrl:text></svrl:failed-assert>
</svrl:schematron-output>`

func TestFailedAssertions(t *testing.T) {
	as, err := FailedAssertions([]byte(report))
	if err != nil {
		t.Fatal(err)
	}
	want := []Assertion{
		{ID: "BR-NL-2", Flag: "fatal", Location: "/*:Invoice[1]", Text: "[BR-NL-2] For suppliers in the Netherlands, the invoice MUST contain either the buyer reference"},
		{ID: "BR-CO-16", Flag: "fatal", Location: "/*:Invoice[1]", Text: "[BR-CO-16]-Amount due"},
		{ID: "BR-NL-29", Flag: "warning", Location: "/*:Invoice[1]/*:Note[1]", Text: "[BR-NL-29] not recommended"},
	}
	if len(as) != len(want) {
		t.Fatalf("got %+v", as)
	}
	for i := range want {
		if as[i] != want[i] {
			t.Errorf("[%d] = %+v, want %+v", i, as[i], want[i])
		}
	}
	if _, err := FailedAssertions([]byte(`<html/>`)); err == nil {
		t.Error("a non-SVRL document was accepted")
	}
}

// FuzzFailedAssertions: any input is read or refused, never a panic, and
// every assertion read has its text without runs of white space.
func FuzzFailedAssertions(f *testing.F) {
	f.Add([]byte(report))
	f.Add([]byte(`<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl"/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		as, err := FailedAssertions(b)
		if err != nil {
			return
		}
		for _, a := range as {
			if strings.Contains(a.Text, "  ") || strings.ContainsAny(a.Text, "\n\t") {
				t.Fatalf("text not normalised: %q", a.Text)
			}
		}
	})
}
