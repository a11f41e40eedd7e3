package access

import (
	"time"

	"github.com/opstap/opstap"
)

// MaxAuditorGrant is the longest an auditor's grant may run: three months
// (92 days). DOMAIN.md §1 asks for a time-boxed grant [004 "Inzagerecht",
// 003 bewerkers art 3] without a length; three months is Opstap's default.
const MaxAuditorGrant = 92 * 24 * time.Hour

// GrantSpec asks for one grant.
type GrantSpec struct {
	Role      opstap.Role   `json:"role" validate:"required,max=50"`
	Access    opstap.Action `json:"access" validate:"max=10"`
	ExpiresAt *time.Time    `json:"expires_at,omitempty"`
}

// Validate checks a grant request: a known role, read or write (write when
// not given) [003 bewerkers art 5a], an expiry in the future, and an
// auditor's grant time-boxed [004 "Inzagerecht"].
func (g *GrantSpec) Validate(now time.Time) error {
	if g.Access == "" {
		g.Access = opstap.Write
	}
	switch {
	case !g.Role.Valid():
		return opstap.FieldError("role", "unknown role")
	case g.Access != opstap.Read && g.Access != opstap.Write:
		return opstap.FieldError("access", "access must be read or write")
	case g.ExpiresAt != nil && !g.ExpiresAt.After(now):
		return opstap.FieldError("expires_at", "expiry must lie in the future")
	case g.Role == opstap.RoleAuditor && g.ExpiresAt == nil:
		return opstap.FieldError("expires_at", "an auditor's grant must expire")
	case g.Role == opstap.RoleAuditor && g.ExpiresAt.Sub(now) > MaxAuditorGrant:
		return opstap.FieldError("expires_at", "an auditor's grant may last at most three months")
	}
	return nil
}
