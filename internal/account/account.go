// Package account holds the input rules of organisations and user
// accounts (DOMAIN.md §1): an organisation's kind and, for a municipality,
// its CBS code; a new user's e-mail address, name, organisation, language,
// password and grants (access.GrantSpec). internal/store keeps them.
package account

import (
	"net/mail"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/auth"
)

// Organisation is the provider, a commissioner or a client employer.
type Organisation struct {
	ID        string         `json:"id" validate:"max=64"`
	Name      string         `json:"name" validate:"required,max=200"`
	Kind      opstap.OrgKind `json:"kind" validate:"required,max=50"`
	CBSCode   string         `json:"cbs_code,omitempty" validate:"max=4"` // municipalities: CBS municipality code, e.g. "0034"
	CreatedAt time.Time      `json:"created_at"`
}

// Validate checks and trims an organisation before it is stored: a name, a
// known kind, and a municipality's four-digit CBS code.
func (o *Organisation) Validate() error {
	o.Name = strings.TrimSpace(o.Name)
	switch {
	case o.Name == "":
		return opstap.FieldError("name", "name is required")
	case !o.Kind.Valid():
		return opstap.FieldError("kind", "unknown organisation kind")
	case o.Kind == opstap.OrgMunicipality && !ValidCBS(o.CBSCode):
		return opstap.FieldError("cbs_code", "a municipality needs its four-digit CBS code")
	}
	return nil
}

// ValidCBS reports whether s is a CBS municipality code: four digits,
// leading zeros kept ("0034").
func ValidCBS(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NewUser is the input to a new account.
type NewUser struct {
	OrgID    string             `json:"org_id" validate:"required,max=64"`
	Email    string             `json:"email" validate:"required,max=254"`
	Name     string             `json:"name" validate:"required,max=200"`
	Password string             `json:"password,omitempty" validate:"max=256"`
	Language string             `json:"language,omitempty" validate:"max=2"`
	Grants   []access.GrantSpec `json:"grants" validate:"required,items=50"`
}

// Validate checks and normalises the input: the e-mail address lower-case
// and trimmed, Dutch unless English is asked, a password (if any) by the
// password rules, every grant by access.GrantSpec.Validate.
func (n *NewUser) Validate(now time.Time) error {
	n.Email = NormEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if n.Language == "" {
		n.Language = "nl"
	}
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		return opstap.FieldError("email", "not a valid e-mail address")
	}
	if n.Name == "" {
		return opstap.FieldError("name", "name is required")
	}
	if n.OrgID == "" {
		return opstap.FieldError("org_id", "organisation is required")
	}
	if n.Language != "nl" && n.Language != "en" {
		return opstap.FieldError("language", "language must be nl or en")
	}
	if n.Password != "" {
		if err := auth.ValidatePassword(n.Password); err != nil {
			return err
		}
	}
	for i := range n.Grants {
		if err := n.Grants[i].Validate(now); err != nil {
			return err
		}
	}
	return nil
}

// NormEmail is the form an e-mail address is stored and looked up in:
// trimmed, lower-case.
func NormEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
