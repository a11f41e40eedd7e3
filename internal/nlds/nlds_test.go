package nlds

import (
	"errors"
	"strings"
	"testing"
)

func TestMentions(t *testing.T) {
	comps := []string{"utrecht-alert", "utrecht-button-link"}
	tests := []struct {
		selector string
		want     bool
	}{
		{".utrecht-alert", true},
		{".utrecht-alert--error", true},
		{".utrecht-alert__icon", true},
		{".utrecht-alert:focus-visible", true},
		{".utrecht-alert > p", true},
		{".utrecht-html .utrecht-alert.x", true},
		{".a, .utrecht-button-link--primary-action", true},
		{".utrecht-alert-dialog", false},
		{".utrecht-alert-dialog, .utrecht-alerting", false},
		{".utrecht-button", false},
		{".utrecht-button-link-x", false},
		{"utrecht-alert", false}, // an element name, not the class
	}
	for _, tt := range tests {
		if got := mentions(tt.selector, comps); got != tt.want {
			t.Errorf("mentions(%q) = %v, want %v", tt.selector, got, tt.want)
		}
	}
}

func TestSubset(t *testing.T) {
	css := `@charset "UTF-8";
/* licence */
.utrecht-alert { color: red; }
.utrecht-alert-dialog { color: blue; }
.utrecht-other { content: "}{"; }
@media (min-width: 10em) { .utrecht-alert { margin: 0; } .utrecht-other { margin: 1px; } }
@media print { .utrecht-other { display: none; } }
@supports (display: grid) { @media screen { .utrecht-alert--ok { display: grid; } } }
@keyframes spin { from { rotate: 0deg; } to { rotate: 360deg; } }
@font-face { font-family: x; }
`
	got, err := Subset(css, []string{"utrecht-alert"})
	if err != nil {
		t.Fatal(err)
	}
	want := `.utrecht-alert { color: red; }
@media (min-width: 10em) {
.utrecht-alert { margin: 0; }
}
@supports (display: grid) {
@media screen {
.utrecht-alert--ok { display: grid; }
}
}
@keyframes spin { from { rotate: 0deg; } to { rotate: 360deg; } }
`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestUnbalancedRefused(t *testing.T) {
	for _, css := range []string{".a { color: red;", ".a { } }", "/* open", `.a { content: "x }`, ".a { color: red } trailing"} {
		if _, err := Subset(css, Components); !errors.Is(err, ErrUnbalanced) {
			t.Errorf("%q: %v", css, err)
		}
	}
}

func TestAssembleKeepsTokensAndElements(t *testing.T) {
	out, err := Assemble("test 1.0", "/* x */\n.utrecht-theme { --a: 1; }\n", ".utrecht-html p { margin: 0; }\n", ".utrecht-skip-link { top: 0; }\n.utrecht-calendar { top: 0; }\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".utrecht-theme { --a: 1; }", ".utrecht-html p { margin: 0; }", ".utrecht-skip-link { top: 0; }", "@license EUPL-1.2", "test 1.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "utrecht-calendar") {
		t.Error("a component the pages do not use was kept")
	}
}

// FuzzSubset: any input either is refused as unbalanced or gives a subset
// that parses again and is its own subset.
func FuzzSubset(f *testing.F) {
	f.Add(".utrecht-alert { color: red; } @media x { .utrecht-alert--ok { a: b } }")
	f.Add(`.a { content: "}" } /* } */`)
	f.Fuzz(func(t *testing.T, css string) {
		out, err := Subset(css, Components)
		if err != nil {
			return
		}
		again, err := Subset(out, Components)
		if err != nil {
			t.Fatalf("subset does not parse: %v\n%s", err, out)
		}
		if again != out {
			t.Fatalf("subset of a subset differs:\n%s\n---\n%s", out, again)
		}
	})
}
