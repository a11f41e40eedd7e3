// Package consent holds the rules of a candidate's consents (DOMAIN.md §3)
// [000 art 5, 001, 002 art 5.1, 004 "Toestemming kandidaat"]: the topics,
// how a consent is given or withdrawn and by whom, which topics count only
// in writing, and which record is current. internal/store keeps the
// records; every check reads the latest one, so a withdrawal takes effect
// at once.
package consent

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Topic is what a candidate consents to.
type Topic string

// The consent topics.
const (
	ShareActionPlan Topic = "share_action_plan"                   // the action plan to the commissioner [000 art 5]
	ShareReports    Topic = "share_reports"                       // reports to the commissioner [004 "Toestemming kandidaat"]
	ShareHealth     Topic = "share_health_data_with_commissioner" // written consent only [002 art 5.1, 004]
	ShareCV         Topic = "share_cv_with_employers"             // CV or profile to employers [004]
	CommercialUse   Topic = "commercial_use"                      // explicit, an objection stops it at once [001]
	Newsletters     Topic = "newsletters"                         // opt-out at any moment [004]
)

// Topics lists every topic in a stable order.
var Topics = []Topic{ShareActionPlan, ShareReports, ShareHealth, ShareCV, CommercialUse, Newsletters}

const purposeMaxLength = 2000

// Method is how a consent was given or withdrawn.
type Method string

// The methods: the candidate in the portal, or staff on their behalf;
// Objection is a withdrawal the privacy officer records with an objection
// [001], never a method anyone chooses.
const (
	Portal    Method = "portal"
	Paper     Method = "paper"
	Verbal    Method = "verbal_recorded_by_staff"
	Objection Method = "objection"
)

// Record is one recorded change of a consent; records are never changed.
type Record struct {
	ID         string    `json:"id"`
	Topic      Topic     `json:"topic"`
	Version    int       `json:"version"`
	Given      bool      `json:"given"`
	Purpose    string    `json:"purpose"`
	Method     Method    `json:"method"`
	DocumentID string    `json:"document_id,omitempty"` // the signed form of a paper consent
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Written reports whether the consent is in writing: the candidate's own
// action in the portal, or a paper consent whose signed form is in the
// dossier. A verbal consent, or a paper one without the paper, is not.
func (c Record) Written() bool {
	return c.Method == Portal || (c.Method == Paper && c.DocumentID != "")
}

// Counts reports whether the current record c (nil: never recorded) gives
// consent to its topic, in writing where the topic needs it.
func Counts(c *Record) bool {
	return c != nil && c.Given && (!WrittenOnly[c.Topic] || c.Written())
}

// Change is a request to give or withdraw a consent.
type Change struct {
	Topic      Topic  `json:"topic" validate:"required,max=50"`
	Given      bool   `json:"given" validate:"required"`
	Purpose    string `json:"purpose" validate:"max=2000"`
	Method     Method `json:"method" validate:"max=50"`
	DocumentID string `json:"document_id,omitempty" validate:"max=64"` // a paper consent: the uploaded signed form (a signed agreement)
}

// WrittenOnly are the topics whose consent counts only in writing:
// commercial or charitable use "alleen met uitdrukkelijke schriftelijke
// toestemming" [001], health data to the commissioner [002 art 5.1, 004].
var WrittenOnly = map[Topic]bool{CommercialUse: true, ShareHealth: true}

// CheckWritten applies the written-consent rule to a change: giving a
// written-only consent needs the portal or a paper consent with its signed
// form. A withdrawal is taken however it comes (AVG art 7(3)). A form goes
// only with a paper consent.
func CheckWritten(c Change) error {
	switch {
	case c.DocumentID != "" && c.Method != Paper:
		return opstap.FieldError("document_id", "a signed form goes with a paper consent")
	case !c.Given || !WrittenOnly[c.Topic] || c.Method == Portal:
		return nil
	case c.Method != Paper:
		return opstap.FieldError("method", "this consent counts only in writing: the candidate's own action in the portal or an uploaded signed form")
	case c.DocumentID == "":
		return opstap.FieldError("document_id", "upload the signed consent form to the dossier and choose it")
	}
	return nil
}

// DefaultPurposes are the purpose texts recorded when staff or the
// candidate write none; they are English keys the pages translate.
var DefaultPurposes = map[Topic]string{
	ShareActionPlan: "Sending your action plan to your commissioner, after you approved it.",
	ShareReports:    "Sending reports about your trajectory to your commissioner.",
	ShareHealth:     "Including information about your health in reports to your commissioner.",
	ShareCV:         "Sending your CV or profile to employers for a job or placement.",
	CommercialUse:   "Using your data for commercial or charitable purposes.",
	Newsletters:     "Sending you newsletters and mailings.",
}

// Validate checks the topic and the purpose, which defaults to the
// topic's own text.
func (c *Change) Validate() error {
	if !slices.Contains(Topics, c.Topic) {
		return opstap.FieldError("topic", "unknown consent topic")
	}
	c.Purpose = strings.TrimSpace(c.Purpose)
	if c.Purpose == "" {
		c.Purpose = DefaultPurposes[c.Topic]
	}
	if utf8.RuneCountInString(c.Purpose) > purposeMaxLength {
		return opstap.FieldError("purpose", "the text is too long")
	}
	return nil
}

// CheckMethod decides how someone acting in role may record a consent: the
// candidate gives or withdraws in the portal (the default); the assigned
// coach records a paper or verbal consent on the candidate's behalf.
// Nobody else records consent: the commissioner in particular never does.
func CheckMethod(role opstap.Role, c *Change) error {
	switch role {
	case opstap.RoleCandidate:
		if c.Method == "" {
			c.Method = Portal
		}
		if c.Method != Portal {
			return opstap.FieldError("method", "in the portal you record your own consent")
		}
	case opstap.RoleCoach:
		if c.Method != Paper && c.Method != Verbal {
			return opstap.FieldError("method", "staff record a paper or verbal consent")
		}
	default:
		return opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
	}
	return nil
}

// Current reduces a history (newest first) to the latest record per
// topic.
func Current(history []Record) map[Topic]Record {
	cur := map[Topic]Record{}
	for _, c := range history {
		if have, ok := cur[c.Topic]; !ok || c.Version > have.Version {
			cur[c.Topic] = c
		}
	}
	return cur
}

// Withdrawal is the record an objection to processing makes of a given
// consent to commercial use: withdrawn at once [001 "kan zich te allen
// tijde verzetten … direct beëindigen"], in the portal when the candidate
// objects themselves, on paper when staff record the objection.
func Withdrawal(t Topic, bySelf bool) Change {
	m := Paper
	if bySelf {
		m = Portal
	}
	return Change{Topic: t, Purpose: DefaultPurposes[t], Method: m}
}
