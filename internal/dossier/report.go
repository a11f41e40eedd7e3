// Package dossier holds the rules of a candidate's reports (rapportages)
// and of sharing them with the commissioner (DOMAIN.md §3) [000 art 5,
// 002 art 5.1, 004 "Toestemming kandidaat", "Rapportage naar
// opdrachtgever"]: what a report holds, its versions and the candidate's
// approval of exactly one version, and when a version may go out under
// which legal ground. internal/store keeps the reports, sealed.
package dossier

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/consent"
)

// ReportKind is the kind of a report (rapportage).
type ReportKind string

// The report kinds.
const (
	ReportActionPlan ReportKind = "action_plan"      // plan van aanpak [004 "Kandidaten"]
	ReportExtensive  ReportKind = "extensive_report" // uitgebreide schriftelijke rapportage
	ReportBrief      ReportKind = "brief_update"     // beknopte voortgangsinformatie
)

// ReportKinds lists every kind in a stable order.
var ReportKinds = []ReportKind{ReportActionPlan, ReportExtensive, ReportBrief}

// NeedsApproval reports whether the kind goes to the commissioner only
// after the candidate approved the exact version, unless another legal
// ground applies [000 art 5, 004 "Toestemming kandidaat"].
func (k ReportKind) NeedsApproval() bool { return k == ReportActionPlan || k == ReportExtensive }

// ConsentTopic is the consent that covers sharing a report of this kind.
func (k ReportKind) ConsentTopic() consent.Topic {
	if k == ReportActionPlan {
		return consent.ShareActionPlan
	}
	return consent.ShareReports
}

// ToldAfterwards reports whether the candidate is told after a report of
// this kind went out without their prior approval: brief progress
// information [004 "Toestemming kandidaat"].
func (k ReportKind) ToldAfterwards() bool { return k == ReportBrief }

// Version statuses: a draft is written by staff, submitted to the
// candidate, then approved or commented on by the candidate.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusApproved  = "approved"
	StatusCommented = "commented"
)

// Activity is one line of an action plan: the activity, the product it
// yields, the planned and the achieved result [004 "Kandidaten"].
type Activity struct {
	Activity string `json:"activity" validate:"required,max=2000"`
	Product  string `json:"product,omitempty" validate:"max=2000"`
	Planned  string `json:"planned_result,omitempty" validate:"max=2000"`
	Achieved string `json:"achieved_result,omitempty" validate:"max=2000"`
}

// ReportContent is the text of one version, sealed as a whole.
type ReportContent struct {
	Title      string     `json:"title" validate:"required,max=200"`
	Body       string     `json:"body,omitempty" validate:"max=100000"`
	Activities []Activity `json:"activities,omitempty" validate:"items=100"`
}

// ReportDraft is what staff write: the content and whether it holds
// health data, which decides the consent needed to share it [002 art 5.1].
type ReportDraft struct {
	Kind       ReportKind    `json:"kind,omitempty" validate:"max=50"`
	Content    ReportContent `json:"content" validate:"required"`
	HealthData bool          `json:"health_data" validate:"required"`
}

// ReportTextMax bounds a version's content (as JSON) and each typed text
// about a report.
const ReportTextMax = 100_000

// ValidateNew checks a new report: a known kind and a valid draft.
func (d *ReportDraft) ValidateNew() error {
	if !slices.Contains(ReportKinds, d.Kind) {
		return opstap.FieldError("kind", "unknown report kind")
	}
	return d.Validate()
}

// Validate checks and tidies a draft of its kind: an action plan has its
// activities and nothing but an action plan has them; any other kind has
// a body.
func (d *ReportDraft) Validate() error {
	c := &d.Content
	c.Title = strings.TrimSpace(c.Title)
	if c.Title == "" {
		return opstap.FieldError("title", "required")
	}
	c.Activities = slices.DeleteFunc(c.Activities, func(a Activity) bool {
		return strings.TrimSpace(a.Activity+a.Product+a.Planned+a.Achieved) == ""
	})
	for _, a := range c.Activities {
		if strings.TrimSpace(a.Activity) == "" {
			return opstap.FieldError("activities", "every line of the plan names its activity")
		}
	}
	if d.Kind != ReportActionPlan && len(c.Activities) > 0 {
		return opstap.FieldError("activities", "only an action plan has activities")
	}
	if d.Kind == ReportActionPlan && len(c.Activities) == 0 {
		return opstap.FieldError("activities", "an action plan needs at least one activity")
	}
	if d.Kind != ReportActionPlan && strings.TrimSpace(c.Body) == "" {
		return opstap.FieldError("body", "required")
	}
	if b, _ := json.Marshal(c); len(b) > ReportTextMax {
		return opstap.FieldError("body", "the text is too long")
	}
	return nil
}

// ReportVersion is one version of a report.
type ReportVersion struct {
	Version     int           `json:"version"`
	Status      string        `json:"status"`
	Content     ReportContent `json:"content"`
	HealthData  bool          `json:"health_data"`
	WrittenBy   string        `json:"written_by"`
	WrittenAt   time.Time     `json:"written_at"`
	SubmittedAt *time.Time    `json:"submitted_at,omitempty"`
	DecidedAt   *time.Time    `json:"decided_at,omitempty"`
	Comment     string        `json:"comment,omitempty"`
}

// EditsInPlace reports whether a change to the version changes it: only a
// draft. A version that was submitted, approved or commented on stays as
// it was, and the change becomes a new draft version that needs a new
// approval [000 art 5].
func (v ReportVersion) EditsInPlace() bool { return v.Status == StatusDraft }

// CheckSubmittable refuses putting before the candidate anything but a
// draft.
func (v ReportVersion) CheckSubmittable() error {
	if v.Status != StatusDraft {
		return opstap.Errorf(opstap.ECONFLICT, "only a draft can be submitted for approval")
	}
	return nil
}

// Report is a report with its versions (newest first) and its sharings.
type Report struct {
	ID             string          `json:"id"`
	CandidateID    string          `json:"candidate_id"`
	Kind           ReportKind      `json:"kind"`
	CurrentVersion int             `json:"current_version"`
	CreatedBy      string          `json:"created_by"`
	CreatedAt      time.Time       `json:"created_at"`
	Versions       []ReportVersion `json:"versions"`
	Sharings       []Sharing       `json:"sharings"`
}

// Current returns the newest version.
func (r *Report) Current() ReportVersion {
	if len(r.Versions) == 0 {
		return ReportVersion{}
	}
	return r.Versions[0]
}

// ReportDecision is the candidate's approval of, or comment on, a version:
// the API's body, and what the portal's form fills.
type ReportDecision struct {
	Version int    `json:"version" validate:"required,min=1,max=2147483647"`
	Comment string `json:"comment,omitempty" validate:"max=100000"`
}

// CheckComment checks and tidies the candidate's comment on a version.
func CheckComment(comment string) (string, error) {
	comment = strings.TrimSpace(comment)
	switch {
	case comment == "":
		return "", opstap.FieldError("comment", "required")
	case utf8.RuneCountInString(comment) > ReportTextMax:
		return "", opstap.FieldError("comment", "the text is too long")
	}
	return comment, nil
}

// CheckDecidable explains why a version cannot be approved or commented
// on: the candidate approves exactly the current version, once, after it
// was put before them [000 art 5, 004 "Toestemming kandidaat"].
func CheckDecidable(r *Report, version int) error {
	var v *ReportVersion
	for i := range r.Versions {
		if r.Versions[i].Version == version {
			v = &r.Versions[i]
		}
	}
	switch {
	case v == nil:
		return opstap.FieldError("version", "no such version")
	case version != r.CurrentVersion:
		return opstap.Errorf(opstap.ECONFLICT, "this version is outdated: a newer version %d exists; read and approve that one", r.CurrentVersion)
	case v.Status == StatusApproved:
		return opstap.Errorf(opstap.ECONFLICT, "you have already approved this version")
	case v.Status == StatusCommented:
		return opstap.Errorf(opstap.ECONFLICT, "you have already commented on this version; wait for the new version")
	case v.Status != StatusSubmitted:
		return opstap.Errorf(opstap.ECONFLICT, "this version is not awaiting your approval")
	}
	return nil
}
