package i18n

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// The catalogue check on small fixtures: each failure mode is found, and a
// clean fixture has no problem, so TestCatalogueComplete can fail.

const fixtureCode = `package x

import "i18n"

func f(lang, role string, n int) {
	_ = i18n.T(lang, "Hello")
	_ = i18n.N(lang, "%d candidates", n)
	_ = i18n.Label(lang, "role", role)
}
`

const fixturePage = `{{define "content"}}<p>{{.T "Goodbye"}} {{$.L "role" .Role}} {{.T "candidate|Edit"}}</p>{{end}}`

const fixtureNL = `"Hello" = "Hallo"
"Goodbye" = "Tot ziens"
"candidate|Edit" = "Wijzigen"
"%d candidates" = { one = "%d kandidaat", other = "%d kandidaten" }
"role:coach" = "Coach"
`

const fixtureEN = `"%d candidates" = { one = "%d candidate", other = "%d candidates" }
"role:coach" = "Coach"
`

// fixture writes code and templates into a directory and returns the
// catalogue files as a file system, with the Dutch file replaced by nl when
// given and extra files added.
func fixture(t *testing.T, code, page, nl string, extra map[string]string) (usage, fstest.MapFS) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "page.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"locales/nl/main.toml": {Data: []byte(nl)},
		"locales/en/main.toml": {Data: []byte(fixtureEN)},
	}
	for p, s := range extra {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return scanTree(t, dir), fsys
}

// problems runs the whole check on a fixture: load, then compare.
func problems(t *testing.T, u usage, fsys fstest.MapFS, table map[string][]string) []string {
	t.Helper()
	msgs, err := parseFiles(fsys, "locales")
	if err != nil {
		return []string{err.Error()}
	}
	return checkCatalogue(msgs, u, table)
}

var fixtureLabels = map[string][]string{"role": {"coach"}}

func expectOne(t *testing.T, got []string, want string) {
	t.Helper()
	if len(got) != 1 || !strings.Contains(got[0], want) {
		t.Fatalf("want one problem with %q, got %q", want, got)
	}
}

func TestCheckCleanFixture(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage, fixtureNL, nil)
	if got := problems(t, u, fsys, fixtureLabels); len(got) != 0 {
		t.Fatalf("clean fixture: %q", got)
	}
}

func TestCheckFindsMissingText(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage, strings.Replace(fixtureNL, `"Goodbye" = "Tot ziens"`+"\n", "", 1), nil)
	expectOne(t, problems(t, u, fsys, fixtureLabels), `no Dutch for "Goodbye"`)
}

func TestCheckFindsConflictInOneFile(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage, fixtureNL+`"Hello" = "Dag"`+"\n", nil)
	expectOne(t, problems(t, u, fsys, fixtureLabels), "Hello")
}

func TestCheckFindsConflictAcrossFiles(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage, fixtureNL, map[string]string{"locales/nl/other.toml": `"Hello" = "Dag"` + "\n"})
	expectOne(t, problems(t, u, fsys, fixtureLabels), `"Hello" is defined again (first in locales/nl/main.toml)`)
}

func TestCheckFindsUnusedEntry(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage, fixtureNL+`"Nobody says this" = "Niemand zegt dit"`+"\n", nil)
	expectOne(t, problems(t, u, fsys, fixtureLabels), `unused entry nl "Nobody says this"`)
}

func TestCheckFindsUnusedLabelFamily(t *testing.T) {
	// The template no longer uses the family: its table row and its
	// entries are dead.
	code := strings.Replace(fixtureCode, `_ = i18n.Label(lang, "role", role)`, "", 1)
	page := strings.Replace(fixturePage, `{{$.L "role" .Role}}`, "", 1)
	u, fsys := fixture(t, code, page, fixtureNL, nil)
	got := problems(t, u, fsys, fixtureLabels)
	if len(got) != 3 || !strings.Contains(strings.Join(got, "\n"), `label family "role" is used nowhere`) || !strings.Contains(strings.Join(got, "\n"), `unused entry nl "role:coach"`) {
		t.Fatalf("got %q", got)
	}
}

func TestCheckFindsLabelWithoutTranslation(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage, fixtureNL, nil)
	table := map[string][]string{"role": {"coach", "finance"}}
	got := problems(t, u, fsys, table)
	if len(got) != 2 || !strings.Contains(got[0], `no Dutch for "role:finance"`) || !strings.Contains(got[1], `no English for "role:finance"`) {
		t.Fatalf("got %q", got)
	}
}

func TestCheckFindsUnknownLabelFamily(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage+`{{.L "colour" .C}}`, fixtureNL, nil)
	expectOne(t, problems(t, u, fsys, fixtureLabels), `label family "colour"`)
}

func TestCheckFindsRuntimeKeys(t *testing.T) {
	code := strings.Replace(fixtureCode, `_ = i18n.T(lang, "Hello")`, `_ = i18n.T(lang, "Hello"); _ = i18n.T(lang, "role:"+role)`, 1)
	page := fixturePage + `{{.T (print "role:" .Role)}}`
	u, fsys := fixture(t, code, page, fixtureNL, nil)
	got := problems(t, u, fsys, fixtureLabels)
	if len(got) != 2 || !strings.Contains(got[0], "built at run time") || !strings.Contains(got[1], "built at run time") {
		t.Fatalf("got %q", got)
	}
}

func TestCheckFindsCountWithoutPluralForms(t *testing.T) {
	nl := strings.Replace(fixtureNL, `{ one = "%d kandidaat", other = "%d kandidaten" }`, `"%d kandidaten"`, 1)
	u, fsys := fixture(t, fixtureCode, fixturePage, nl, nil)
	expectOne(t, problems(t, u, fsys, fixtureLabels), `"%d candidates" is counted with N`)
}

func TestCheckFindsPluralFormsNeverCounted(t *testing.T) {
	code := strings.Replace(fixtureCode, `i18n.N(lang, "%d candidates", n)`, `i18n.T(lang, "%d candidates", n)`, 1)
	u, fsys := fixture(t, code, fixturePage, fixtureNL, nil)
	got := problems(t, u, fsys, fixtureLabels)
	if len(got) != 2 || !strings.Contains(got[0], "has plural forms but is never counted with N") {
		t.Fatalf("got %q", got)
	}
}

func TestCheckFindsBadFile(t *testing.T) {
	u, fsys := fixture(t, fixtureCode, fixturePage, fixtureNL+`"Broken = "x"`+"\n", nil)
	expectOne(t, problems(t, u, fsys, fixtureLabels), "locales/nl/main.toml")
}

func TestCheckFindsMissingTextInLabelTable(t *testing.T) {
	code := fixtureCode + "\nvar colourLabels = map[string]string{\"r\": \"Red\"}\n"
	u, fsys := fixture(t, code, fixturePage, fixtureNL, nil)
	expectOne(t, problems(t, u, fsys, fixtureLabels), `no Dutch for "Red"`)
}
