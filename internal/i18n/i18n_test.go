package i18n

import "testing"

func TestTranslate(t *testing.T) {
	for _, c := range []struct{ lang, id, want string }{
		{"nl", "Edit", "Bewerken"},
		{"nl", "candidate|Edit", "Wijzigen"},
		{"en", "candidate|Edit", "Edit"},
		{"en", "Edit", "Edit"},
		{"nl", "Number", "Nummer"},
		{"nl", "manifest|Number", "Aantal"},
		{"en", "role:coach", "Coach"},
		{"nl", "role:medical_expert", "Medisch deskundige"},
		{"nl", "a text nobody translated", "a text nobody translated"},
		{"xx", "Edit", "Edit"},
	} {
		if got := T(c.lang, c.id); got != c.want {
			t.Errorf("T(%s, %q) = %q, want %q", c.lang, c.id, got, c.want)
		}
	}
	if got := T("nl", "password must be at least %d characters", 12); got != "het wachtwoord moet minstens 12 tekens hebben" {
		t.Errorf("format: %q", got)
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    any
		want string
	}{
		{"nl", 1, "1 kandidaat toegevoegd."},
		{"nl", 2, "2 kandidaten toegevoegd."},
		{"nl", 0, "0 kandidaten toegevoegd."},
		{"en", 1, "1 candidate added."},
		{"en", int64(3), "3 candidates added."},
		{"xx", 1, "1 candidate added."},
	} {
		if got := N(c.lang, "%d candidates added.", c.n); got != c.want {
			t.Errorf("N(%s, %v) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := N("nl", "%d candidates registered, %d already known and skipped.", 1, 4); got != "1 kandidaat aangemeld, 4 al bekend en overgeslagen." {
		t.Errorf("two counts: %q", got)
	}
}

func TestLabel(t *testing.T) {
	if got := Label("nl", "placement", "confirmed"); got != "bevestigd" {
		t.Errorf("nl placement label: %q", got)
	}
	if got := Label("en", "placement", "cancelled"); got != "withdrawn" {
		t.Errorf("en placement label: %q", got)
	}
	// A code missing from the table is shown as it is, never as a key.
	if got := Label("nl", "placement", "teleported"); got != "teleported" {
		t.Errorf("unknown code: %q", got)
	}
	if !HasLabel("role", "coach") || HasLabel("role", "pilot") {
		t.Error("HasLabel")
	}
}

// TestEmbeddedCatalogueLoads: every catalogue file parses and no ID is
// defined twice (mustLoad would stop the program at start otherwise).
func TestEmbeddedCatalogueLoads(t *testing.T) {
	c, err := loadCatalogue(files, "locales")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.msgs["nl"]) < 2000 || len(c.msgs["en"]) < 100 {
		t.Fatalf("catalogue too small: %d nl, %d en", len(c.msgs["nl"]), len(c.msgs["en"]))
	}
}

func BenchmarkT(b *testing.B) {
	for b.Loop() {
		T("nl", "Edit")
	}
}

func BenchmarkN(b *testing.B) {
	for b.Loop() {
		N("nl", "%d candidates added.", 3)
	}
}
