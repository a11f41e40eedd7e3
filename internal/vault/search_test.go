package vault

import (
	"regexp"
	"slices"
	"testing"
)

func TestNormalise(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already normal", "jose de vries", "jose de vries"},
		{"accents and spaces", "José  de Vries", "jose de vries"},
		{"trim and tabs", " \tJan\n\nJansen  ", "jan jansen"},
		{"umlaut", "Müller", "muller"},
		{"ij ligature", "Ĳsselmeer ĳs", "ijsselmeer ijs"},
		{"decomposed input", "Jose\u0301", "jose"},
		{"trema", "Zoë Coëlho", "zoe coelho"},
		{"cedilla", "François", "francois"},
		{"sharp s", "Straße STRAẞE", "strasse strasse"},
		{"nordic", "Søren Ærø", "soren aero"},
		{"polish l", "Łukasz", "lukasz"},
		{"turkish dotted capital", "İlker", "ilker"},
		{"full width", "ＪＯＳＥ", "jose"},
		{"non-breaking space", "de\u00a0Vries", "de vries"},
		{"zero-width space", "Jo\u200bse", "jose"},
		{"soft hyphen", "Wil\u00adlem", "willem"},
		{"curly apostrophe", "van ’t Hof", "van 't hof"},
		{"en dash", "Jansen–de Vries", "jansen-de vries"},
		{"digits kept", "1234 AB", "1234 ab"},
		{"email", "J.deVries@Example.NL", "j.devries@example.nl"},
		{"empty", "", ""},
		{"only space", " \u00a0\t ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalise(tt.in)
			if got != tt.want {
				t.Errorf("Normalise(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalise(got); again != got {
				t.Errorf("not idempotent: %q → %q", got, again)
			}
		})
	}
}

func TestSearchTerms(t *testing.T) {
	k := ring1(t)
	shape := regexp.MustCompile(`^[a-z0-9_]+:[0-9a-f]{32}$`)
	tests := []struct {
		name  string
		kind  string
		value string
		same  string // SearchTerms must equal those of this value
		count int
	}{
		{"accents and spaces", "name", "José  de Vries", "jose de vries", 4},
		{"case", "name", "JOSÉ DE VRIES", "José de Vries", 4},
		{"ij", "name", "Ĳsbrand", "IJsbrand", 2},
		{"one letter words skipped", "name", "J. van ’t Hof", "j. van 't hof", 3},
		{"repeated word once", "name", "de de Boer", " de  DE boer", 3},
		{"email words", "email", "J.deVries@example.nl", "j.devries@EXAMPLE.NL", 4},
		{"bsn", "bsn", "123456782", " 123456782 ", 2},
		{"single letter", "name", "Q", "q", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := k.SearchTerms(tt.kind, tt.value)
			if want := k.SearchTerms(tt.kind, tt.same); !slices.Equal(got, want) {
				t.Errorf("terms of %q = %v\nterms of %q = %v", tt.value, got, tt.same, want)
			}
			if len(got) != tt.count {
				t.Errorf("%d terms, want %d: %v", len(got), tt.count, got)
			}
			for _, term := range got {
				if !shape.MatchString(term) || term[:len(tt.kind)+1] != tt.kind+":" {
					t.Errorf("term %q has the wrong shape", term)
				}
			}
			if got[0] != k.ExactTerm(tt.kind, tt.value) {
				t.Errorf("first term is not ExactTerm")
			}
			if !slices.Equal(got[1:], k.WordTerms(tt.kind, tt.value)) && len(got) > 1 {
				t.Errorf("rest is not WordTerms")
			}
		})
	}
}

func TestSearchTermsDistinct(t *testing.T) {
	k := ring1(t)
	tests := []struct {
		name           string
		kind1, value1  string
		kind2, value2  string
		exact1, exact2 bool // compare ExactTerm (else the first WordTerm)
	}{
		{"different values", "name", "de Vries", "name", "de Vries-Jansen", true, true},
		{"different kinds", "name", "jansen", "email", "jansen", true, true},
		{"exact vs word", "name", "vries", "name", "vries", true, false},
		{"word vs word", "name", "vries", "name", "fries", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pick := func(kind, v string, exact bool) string {
				if exact {
					return k.ExactTerm(kind, v)
				}
				return k.WordTerms(kind, v)[0]
			}
			a, b := pick(tt.kind1, tt.value1, tt.exact1), pick(tt.kind2, tt.value2, tt.exact2)
			if a == b {
				t.Fatalf("same term %s", a)
			}
		})
	}
}

func TestSearchTermsEmpty(t *testing.T) {
	k := ring1(t)
	for _, v := range []string{"", "   ", "\u200b"} {
		if got := k.SearchTerms("name", v); got != nil {
			t.Errorf("SearchTerms(%q) = %v, want none", v, got)
		}
		if got := k.ExactTerm("name", v); got != "" {
			t.Errorf("ExactTerm(%q) = %q, want empty", v, got)
		}
	}
}

func TestSearchTermsAcrossRotation(t *testing.T) {
	value := "José de Vries"
	base := ring1(t).SearchTerms("name", value)
	tests := []struct {
		name   string
		ring   *Keyring
		stable bool
	}{
		{"same keyring parsed again", ring1(t), true},
		{"version 2 added", ring12(t), true},
		{"version 2 added, listed first", mustKeyring(t, "2:"+keyB+",1:"+keyA), true},
		// Removing version 1 moves the index key: search terms must be
		// rebuilt, which IndexVersion lets the application detect.
		{"version 1 removed", ring2(t), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.ring.SearchTerms("name", value)
			if slices.Equal(got, base) != tt.stable {
				t.Fatalf("stable = %v, want %v", !tt.stable, tt.stable)
			}
			if (tt.ring.IndexVersion() == 1) != tt.stable {
				t.Fatalf("IndexVersion = %d", tt.ring.IndexVersion())
			}
		})
	}
}

func TestSearchTermsBadKind(t *testing.T) {
	k := ring1(t)
	for _, kind := range []string{"", "Name", "na:me", "name\x00", "a-b", "abcdefghijklmnopqrstuvwxyz0123456"} {
		t.Run(kind, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("kind %q accepted", kind)
				}
			}()
			k.SearchTerms(kind, "x")
		})
	}
}
