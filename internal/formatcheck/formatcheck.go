// Package formatcheck runs the external validators of ../shared/data on the
// files the product writes (UBL 2.1 and pain.001 schemas with xmllint, the
// official SI-UBL 2.0 schematron with Saxon-HE), for tests only. The product
// never depends on ../shared/data.
//
// A missing tool or validator file skips the test with a message on a
// developer's machine and fails it when CI is set: .ci/run installs them.
package formatcheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/refdata/refdatatest"
)

// SaxonJar is where Debian's libsaxonhe-java puts Saxon-HE.
const SaxonJar = "/usr/share/java/Saxon-HE.jar"

// missing skips outside CI and fails inside it.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Tool returns the path of an executable on PATH.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "%s is missing: apt-get install %s", name, debianPackage)
	}
	return p
}

// SharedData returns the path of a file below ../shared/data.
func SharedData(t testing.TB, rel string) string {
	t.Helper()
	return refdatatest.Path(t, rel)
}

// Field returns the field named by an opstap invalid-input error in err's
// chain, or "" when err is nil or no such error: writers must refuse bad
// input with a field error, never with anything else.
func Field(err error) string {
	var e *opstap.Error
	if errors.As(err, &e) && e.Code == opstap.EINVALID {
		return e.Field
	}
	return ""
}

// WriteFiles writes each document into a fresh directory as name → content
// and returns the directory.
func WriteFiles(t testing.TB, docs map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// XSD validates every file against the schema in one xmllint run and fails
// the test, with xmllint's words, when one is invalid.
func XSD(t testing.TB, schema string, files ...string) {
	t.Helper()
	if len(files) == 0 {
		t.Fatal("formatcheck.XSD: no files")
	}
	if err := xsd(t, schema, files...); err != nil {
		t.Fatal(err)
	}
}

// XSDError returns xmllint's verdict on one file (nil when it is valid),
// for tests that show the schema refuses a spoiled file.
func XSDError(t testing.TB, schema, file string) error {
	t.Helper()
	return xsd(t, schema, file)
}

func xsd(t testing.TB, schema string, files ...string) error {
	t.Helper()
	xmllint := Tool(t, "xmllint", "libxml2-utils")
	args := append([]string{"--noout", "--nonet", "--schema", schema}, files...)
	out, err := exec.Command(xmllint, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("xmllint --schema %s: %v\n%s", filepath.Base(schema), err, out)
	}
	if n := bytes.Count(out, []byte(" validates")); n != len(files) {
		return fmt.Errorf("xmllint validated %d of %d files:\n%s", n, len(files), out)
	}
	return nil
}

// Assertion is one failed schematron assertion.
type Assertion struct {
	ID       string // rule id, e.g. BR-NL-2
	Flag     string // fatal or warning
	Location string
	Text     string
}

func (a Assertion) String() string { return a.Flag + " " + a.ID + " at " + a.Location + ": " + a.Text }

// Schematron runs a compiled schematron (an XSLT producing SVRL) over every
// XML file of dir in one Saxon run (one JVM start) and returns the failed
// assertions per file name.
func Schematron(t testing.TB, xsl, dir string) map[string][]Assertion {
	t.Helper()
	java := Tool(t, "java", "default-jre-headless")
	if _, err := os.Stat(SaxonJar); err != nil {
		missing(t, "%s is missing: apt-get install libsaxonhe-java", SaxonJar)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := exec.Command(java, "-jar", SaxonJar, "-s:"+dir, "-xsl:"+xsl, "-o:"+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("saxon %s: %v\n%s", filepath.Base(xsl), err, b)
	}
	res := map[string][]Assertion{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatalf("saxon wrote no report for %s: %v", e.Name(), err)
		}
		as, err := FailedAssertions(b)
		if err != nil {
			t.Fatalf("report for %s: %v", e.Name(), err)
		}
		res[e.Name()] = as
	}
	return res
}

// SIUBLReports runs the official SI-UBL 2.0 rules over every file of dir
// and returns all failed assertions per file, for tests that expect some.
func SIUBLReports(t testing.TB, dir string) map[string][]Assertion {
	t.Helper()
	return Schematron(t, SharedData(t, "validators/si-ubl-2.0/si-ubl-2.0.xsl"), dir)
}

var ruleID = regexp.MustCompile(`^\[([A-Za-z0-9-]+)\]`)

// FailedAssertions reads the svrl:failed-assert elements of an SVRL report.
func FailedAssertions(svrl []byte) ([]Assertion, error) {
	var report struct {
		Failed []struct {
			ID       string `xml:"id,attr"`
			Flag     string `xml:"flag,attr"`
			Location string `xml:"location,attr"`
			Text     string `xml:"text"`
		} `xml:"failed-assert"`
	}
	if err := xml.Unmarshal(svrl, &report); err != nil {
		return nil, err
	}
	if !bytes.Contains(svrl, []byte("schematron-output")) {
		return nil, fmt.Errorf("not an SVRL report")
	}
	var as []Assertion
	for _, f := range report.Failed {
		text := strings.Join(strings.Fields(f.Text), " ")
		id := f.ID
		if m := ruleID.FindStringSubmatch(text); id == "" && m != nil {
			id = m[1]
		}
		as = append(as, Assertion{ID: id, Flag: f.Flag, Location: f.Location, Text: text})
	}
	return as, nil
}

// SIUBL validates every file of dir against the official SI-UBL 2.0 rules:
// it fails the test on any fatal (or unflagged) assertion and returns the
// others (warnings) per file, which the caller reports (t.Log) or checks.
func SIUBL(t testing.TB, dir string) map[string][]Assertion {
	t.Helper()
	warnings := map[string][]Assertion{}
	for name, as := range SIUBLReports(t, dir) {
		for _, a := range as {
			if a.Flag != "fatal" && a.Flag != "" {
				warnings[name] = append(warnings[name], a)
				continue
			}
			t.Errorf("%s: %s", name, a)
		}
	}
	return warnings
}

// EInvoices writes e-invoices to a directory and validates each against
// the UBL 2.1 XSD (invoice or credit note, by its root element) and the
// SI-UBL 2.0 rules, failing on any fatal assertion.
func EInvoices(t testing.TB, files map[string][]byte) {
	t.Helper()
	dir := WriteFiles(t, files)
	for name, b := range files {
		schema := "validators/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
		if bytes.Contains(b, []byte("<CreditNote")) {
			schema = "validators/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"
		}
		XSD(t, SharedData(t, schema), filepath.Join(dir, name))
	}
	SIUBL(t, dir)
}
