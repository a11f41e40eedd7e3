package privacy

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// AgreementKind is a document the candidate receives at the start of a
// trajectory: the privacy statement ("Door ondertekening van deze
// samenwerkingsafspraken bevestigt de Kandidaat dat hij kennisgenomen heeft
// van dit Privacystatement" [000 art 4]) and the cooperation agreement
// itself [000]; the candidate is told at the start what is reported, to
// whom and how [004 "Afspraken met kandidaat over rapportage bij aanvang
// traject"].
type AgreementKind string

// The kinds.
const (
	AgreementPrivacyStatement AgreementKind = "privacy_statement"
	AgreementCooperation      AgreementKind = "cooperation_agreement"
	maxAgreementVersion                     = 40
	AgreementDefaultVersion                 = "1"
)

// AgreementKinds lists the kinds a trajectory's start needs, in order.
var AgreementKinds = []AgreementKind{AgreementPrivacyStatement, AgreementCooperation}

// AgreementMethod is how the candidate confirmed receipt.
type AgreementMethod string

// The methods: accepted in the portal by the candidate, or a signed form
// uploaded to the dossier by staff.
const (
	AgreementPortal       AgreementMethod = "portal"
	AgreementSignedUpload AgreementMethod = "signed_upload"
)

// Agreement is one document offered in one version.
type Agreement struct {
	Kind    AgreementKind   `json:"kind" validate:"required,max=50"`
	Version string          `json:"version" validate:"required,max=40"`
	Method  AgreementMethod `json:"method,omitempty" validate:"max=50"` // empty while not yet confirmed
}

// ValidateOffer checks a document offered to the candidate and tidies the
// version.
func (g *Agreement) ValidateOffer() error {
	g.Version = strings.TrimSpace(g.Version)
	switch {
	case !slices.Contains(AgreementKinds, g.Kind):
		return opstap.FieldError("kind", "choose the privacy statement or the cooperation agreement")
	case g.Version == "":
		return opstap.FieldError("version", "name the version handed over")
	case utf8.RuneCountInString(g.Version) > maxAgreementVersion:
		return opstap.FieldError("version", "the version is too long")
	}
	return nil
}

// Confirm records how receipt was confirmed. The portal is the candidate's
// own act; a signed form is uploaded by staff. Confirmed is final.
func (g *Agreement) Confirm(m AgreementMethod, bySelf bool) error {
	switch {
	case g.Method != "":
		return opstap.Errorf(opstap.ECONFLICT, "receipt of this version was already confirmed")
	case m == AgreementPortal && !bySelf:
		return opstap.Errorf(opstap.EFORBIDDEN, "only the candidate accepts in the portal")
	case m == AgreementSignedUpload && bySelf:
		return opstap.Errorf(opstap.EFORBIDDEN, "staff record a signed form")
	case m != AgreementPortal && m != AgreementSignedUpload:
		return opstap.FieldError("method", "unknown way of confirming")
	}
	g.Method = m
	return nil
}

// StartComplete reports whether, of the agreements offered in a
// trajectory, each kind has a confirmed version.
func StartComplete(gs []Agreement) bool {
	for _, k := range AgreementKinds {
		if !slices.ContainsFunc(gs, func(g Agreement) bool { return g.Kind == k && g.Method != "" }) {
			return false
		}
	}
	return true
}
