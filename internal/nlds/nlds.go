// Package nlds assembles the NL Design System stylesheet Opstap serves: the
// design tokens, the styles of plain HTML elements and the component classes
// the pages use, taken from the npm packages of Gemeente Utrecht's component
// library (EUPL-1.2). Municipal users recognise these components; taking
// them from the packages, instead of growing our own CSS, keeps them the
// real thing when the packages are updated.
package nlds

import (
	"errors"
	"strings"
)

// Components are the component classes (from the library's index.css) that
// Opstap's pages use; the plain elements come from html.css.
var Components = []string{
	"utrecht-alert",
	"utrecht-breadcrumb-nav",
	"utrecht-button-link",
	"utrecht-form-field-description",
	"utrecht-form-field-error-message",
	"utrecht-page-footer",
	"utrecht-page-header",
	"utrecht-pagination",
	"utrecht-skip-link",
	"utrecht-status-badge",
}

// ErrUnbalanced is a stylesheet whose braces, comments or strings do not close.
var ErrUnbalanced = errors.New("nlds: unbalanced stylesheet")

// statement is one top-level statement of a stylesheet: a rule
// (prelude { body }), an at-rule with a block, or an at-rule ending in ;.
type statement struct {
	prelude, body string
	block         bool
}

// split cuts css into its top-level statements, skipping comments and
// keeping strings intact.
func split(css string) ([]statement, error) {
	var out []statement
	i, start := 0, 0
	for i < len(css) {
		switch c := css[i]; {
		case strings.HasPrefix(css[i:], "/*"):
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				return nil, ErrUnbalanced
			}
			// A comment is dropped; the licence is written by Assemble.
			css = css[:i] + css[i+2+end+2:]
		case c == '"' || c == '\'':
			end, err := skipString(css, i)
			if err != nil {
				return nil, err
			}
			i = end
		case c == ';':
			if p := strings.TrimSpace(css[start:i]); p != "" {
				out = append(out, statement{prelude: p})
			}
			i++
			start = i
		case c == '{':
			end, err := matchBrace(css, i)
			if err != nil {
				return nil, err
			}
			out = append(out, statement{prelude: strings.TrimSpace(css[start:i]), body: css[i+1 : end], block: true})
			i = end + 1
			start = i
		case c == '}':
			return nil, ErrUnbalanced
		default:
			i++
		}
	}
	if strings.TrimSpace(css[start:]) != "" {
		return nil, ErrUnbalanced
	}
	return out, nil
}

// skipString returns the index after the string that starts at i.
func skipString(css string, i int) (int, error) {
	q := css[i]
	for j := i + 1; j < len(css); j++ {
		switch css[j] {
		case '\\':
			j++
		case q:
			return j + 1, nil
		case '\n':
			return 0, ErrUnbalanced
		}
	}
	return 0, ErrUnbalanced
}

// matchBrace returns the index of the brace closing the one at i.
func matchBrace(css string, i int) (int, error) {
	depth := 0
	for j := i; j < len(css); j++ {
		switch c := css[j]; {
		case strings.HasPrefix(css[j:], "/*"):
			end := strings.Index(css[j+2:], "*/")
			if end < 0 {
				return 0, ErrUnbalanced
			}
			j += 2 + end + 1
		case c == '"' || c == '\'':
			end, err := skipString(css, j)
			if err != nil {
				return 0, err
			}
			j = end - 1
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return j, nil
			}
		}
	}
	return 0, ErrUnbalanced
}

// mentions reports whether a selector list names one of the components:
// the class itself, a modifier (--x) or element (__x) of it, but not
// another component that starts with the same words (utrecht-alert-dialog
// is not utrecht-alert).
func mentions(selector string, components []string) bool {
	for _, c := range components {
		for rest := selector; ; {
			k := strings.Index(rest, "."+c)
			if k < 0 {
				break
			}
			rest = rest[k+1+len(c):]
			if rest == "" || strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "__") || !isNameByte(rest[0]) {
				return true
			}
		}
	}
	return false
}

func isNameByte(b byte) bool {
	return b == '-' || b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// Subset keeps of css the rules that style the components, inside the
// @media, @supports and @container blocks that hold them, and the
// @keyframes they may animate with.
func Subset(css string, components []string) (string, error) {
	stmts, err := split(css)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, s := range stmts {
		switch {
		case !s.block:
			// @charset, @import and the like: the assembled file has its own.
		case strings.HasPrefix(s.prelude, "@media"), strings.HasPrefix(s.prelude, "@supports"), strings.HasPrefix(s.prelude, "@container"):
			inner, err := Subset(s.body, components)
			if err != nil {
				return "", err
			}
			if inner != "" {
				b.WriteString(s.prelude + " {\n" + inner + "}\n")
			}
		case strings.HasPrefix(s.prelude, "@keyframes"):
			b.WriteString(s.prelude + " {" + s.body + "}\n")
		case strings.HasPrefix(s.prelude, "@"):
			// @font-face, @layer and others are not used by these components.
		case mentions(s.prelude, components):
			b.WriteString(s.prelude + " {" + s.body + "}\n")
		}
	}
	return b.String(), nil
}

// Assemble writes the stylesheet: tokens, plain elements, components.
// versions names the packages the parts come from, for the header.
func Assemble(versions, tokens, html, index string) (string, error) {
	comps, err := Subset(index, Components)
	if err != nil {
		return "", err
	}
	elems, err := split(html)
	if err != nil {
		return "", err
	}
	toks, err := split(tokens)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("@charset \"UTF-8\";\n/*\n * NL Design System: " + versions + ".\n" +
		" * @license EUPL-1.2 — Copyright (c) 2020-2024 Frameless B.V., Gemeente Utrecht.\n" +
		" * Generated by internal/nlds from the npm packages; do not edit (see docs/design-system.md).\n */\n")
	for _, part := range [][]statement{toks, elems} {
		for _, s := range part {
			if s.block {
				b.WriteString(s.prelude + " {" + s.body + "}\n")
			}
		}
	}
	b.WriteString(comps)
	return b.String(), nil
}
