package dossier

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/consent"
)

// LegalGround is the basis under the AVG on which a report goes to the
// commissioner; it is recorded with every sharing [000 art 5, 004
// "Toestemming kandidaat"].
type LegalGround string

// The legal grounds of AVG art 6(1) that apply to reporting.
const (
	GroundConsent            LegalGround = "consent"             // 6(1)(a): the candidate approved
	GroundContract           LegalGround = "contract"            // 6(1)(b)
	GroundLegalObligation    LegalGround = "legal_obligation"    // 6(1)(c)
	GroundLegitimateInterest LegalGround = "legitimate_interest" // 6(1)(f)
)

// LegalGrounds lists the grounds in a stable order.
var LegalGrounds = []LegalGround{GroundConsent, GroundContract, GroundLegalObligation, GroundLegitimateInterest}

// Article returns the AVG article of the ground, or "" for an unknown one.
func (g LegalGround) Article() string {
	return map[LegalGround]string{
		GroundConsent: "6(1)(a)", GroundContract: "6(1)(b)", GroundLegalObligation: "6(1)(c)", GroundLegitimateInterest: "6(1)(f)",
	}[g]
}

// Sharing kinds: a written report goes out as a PDF; an oral report is
// recorded with a note [004 "Rapportage naar opdrachtgever"].
const (
	ShareWritten = "written"
	ShareOral    = "oral"
)

// Sharing records that a report (or, orally, information) went to an
// organisation.
type Sharing struct {
	ID          string      `json:"id"`
	CandidateID string      `json:"candidate_id"`
	ReportID    string      `json:"report_id,omitempty"`
	Version     int         `json:"version,omitempty"`
	OrgID       string      `json:"org_id"`
	OrgName     string      `json:"org_name"`
	Kind        string      `json:"kind"`
	LegalGround LegalGround `json:"legal_ground"`
	AVGArticle  string      `json:"avg_article"`
	Explanation string      `json:"explanation,omitempty"`
	Note        string      `json:"note,omitempty"`
	SharedBy    string      `json:"shared_by"`
	SharedAt    time.Time   `json:"shared_at"`
}

// ShareRequest asks to send a version of a report to the candidate's
// commissioner. Explanation is required for every ground but consent.
type ShareRequest struct {
	Version     int         `json:"version" validate:"min=0,max=2147483647"`
	LegalGround LegalGround `json:"legal_ground" validate:"required,max=50"`
	Explanation string      `json:"explanation,omitempty" validate:"max=100000"`
}

// OralReport records information given orally to the commissioner.
type OralReport struct {
	LegalGround LegalGround `json:"legal_ground" validate:"required,max=50"`
	Explanation string      `json:"explanation,omitempty" validate:"max=100000"`
	Note        string      `json:"note" validate:"required,max=100000"`
}

// CheckGround checks the legal ground of a sharing: a known one, and for
// every ground but consent an explanation why it applies.
func CheckGround(g LegalGround, explanation string) error {
	if g.Article() == "" {
		return opstap.FieldError("legal_ground", "choose the legal ground")
	}
	if g != GroundConsent && strings.TrimSpace(explanation) == "" {
		return opstap.FieldError("explanation", "explain why this legal ground applies")
	}
	if utf8.RuneCountInString(explanation) > ReportTextMax {
		return opstap.FieldError("explanation", "the text is too long")
	}
	return nil
}

// Validate checks an oral report: its ground and its note, which it tidies.
func (o *OralReport) Validate() error {
	if err := CheckGround(o.LegalGround, o.Explanation); err != nil {
		return err
	}
	o.Note = strings.TrimSpace(o.Note)
	if o.Note == "" {
		return opstap.FieldError("note", "required")
	} else if utf8.RuneCountInString(o.Note) > ReportTextMax {
		return opstap.FieldError("note", "the text is too long")
	}
	return nil
}

// VersionOf returns the version to share: the given one, or the current
// one for 0.
func VersionOf(r *Report, version int) (*ReportVersion, error) {
	if version == 0 {
		version = r.CurrentVersion
	}
	for i := range r.Versions {
		if r.Versions[i].Version == version {
			return &r.Versions[i], nil
		}
	}
	return nil, opstap.FieldError("version", "no such version")
}

// errWithdrawn refuses a sharing under consent when the candidate has
// withdrawn it.
var errWithdrawn = opstap.Errorf(opstap.EFORBIDDEN, "the candidate has withdrawn consent to sharing this")

// Latest looks up the candidate's current consent record of a topic (nil
// when none was ever recorded).
type Latest func(consent.Topic) (*consent.Record, error)

// CheckShare applies the consent rules to sharing version v of a report
// of kind with an organisation of orgKind under ground g [000 art 5, 004
// "Toestemming kandidaat", 002 art 5.1]: health data never goes to an
// employer and needs the candidate's written consent; under consent, the
// topic's consent must not be withdrawn and an action plan or extensive
// report needs the candidate's approval of exactly this version. latest
// is asked only for the consents the case needs.
func CheckShare(kind ReportKind, v *ReportVersion, orgKind opstap.OrgKind, g LegalGround, latest Latest) error {
	if v.HealthData {
		if orgKind == opstap.OrgEmployerClient {
			return opstap.Errorf(opstap.EFORBIDDEN, "medical information never goes to an employer") // [002 art 5.1]
		}
		c, err := latest(consent.ShareHealth)
		if err != nil {
			return err
		}
		if c == nil || !c.Given || !c.Written() {
			return opstap.Errorf(opstap.EFORBIDDEN, "this report holds health data: the candidate's written consent to share it is needed") // [002 art 5.1, 004]
		}
	}
	if g != GroundConsent {
		return nil
	}
	c, err := latest(kind.ConsentTopic())
	if err != nil {
		return err
	}
	if c != nil && !c.Given {
		return errWithdrawn
	}
	if kind.NeedsApproval() && v.Status != StatusApproved {
		return opstap.Errorf(opstap.ECONFLICT, "the candidate has not approved this version: submit it for approval or record another legal ground") // [000 art 5]
	}
	return nil
}

// CheckOral applies the consent rule to an oral report: under consent,
// the candidate must not have withdrawn consent to sharing reports.
func CheckOral(g LegalGround, latest Latest) error {
	if g != GroundConsent {
		return nil
	}
	c, err := latest(consent.ShareReports)
	if err != nil {
		return err
	}
	if c != nil && !c.Given {
		return errWithdrawn
	}
	return nil
}
