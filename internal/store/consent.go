package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/vault"
)

// ConsentTopic is what a candidate consents to (DOMAIN.md §3).
type ConsentTopic string

// The consent topics.
const (
	ConsentShareActionPlan ConsentTopic = "share_action_plan"                   // the action plan to the commissioner [000 art 5]
	ConsentShareReports    ConsentTopic = "share_reports"                       // reports to the commissioner [004 "Toestemming kandidaat"]
	ConsentShareHealth     ConsentTopic = "share_health_data_with_commissioner" // written consent only [002 art 5.1, 004]
	ConsentShareCV         ConsentTopic = "share_cv_with_employers"             // CV or profile to employers [004]
	ConsentCommercialUse   ConsentTopic = "commercial_use"                      // explicit, an objection stops it at once [001]
	ConsentNewsletters     ConsentTopic = "newsletters"                         // opt-out at any moment [004]
)

const consentPurposeMaxLength = 2000

// ConsentTopics lists every topic in a stable order.
var ConsentTopics = []ConsentTopic{ConsentShareActionPlan, ConsentShareReports, ConsentShareHealth, ConsentShareCV, ConsentCommercialUse, ConsentNewsletters}

// ConsentMethod is how a consent was given or withdrawn.
type ConsentMethod string

// The methods: the candidate in the portal, or staff on their behalf.
const (
	ConsentPortal ConsentMethod = "portal"
	ConsentPaper  ConsentMethod = "paper"
	ConsentVerbal ConsentMethod = "verbal_recorded_by_staff"
)

// Consent is one recorded change of a consent; rows are never changed.
type Consent struct {
	ID         string        `json:"id"`
	Topic      ConsentTopic  `json:"topic"`
	Version    int           `json:"version"`
	Given      bool          `json:"given"`
	Purpose    string        `json:"purpose"`
	Method     ConsentMethod `json:"method"`
	DocumentID string        `json:"document_id,omitempty"` // the signed form of a paper consent
	RecordedBy string        `json:"recorded_by"`
	RecordedAt time.Time     `json:"recorded_at"`
}

// Written reports whether the consent is in writing: the candidate's own
// action in the portal, or a paper consent whose signed form is in the
// dossier. A verbal consent, or a paper one without the paper, is not.
func (c Consent) Written() bool {
	return c.Method == ConsentPortal || (c.Method == ConsentPaper && c.DocumentID != "")
}

// ConsentChange is a request to give or withdraw a consent.
type ConsentChange struct {
	Topic      ConsentTopic  `json:"topic" validate:"required,max=50"`
	Given      bool          `json:"given" validate:"required"`
	Purpose    string        `json:"purpose" validate:"max=2000"`
	Method     ConsentMethod `json:"method" validate:"max=50"`
	DocumentID string        `json:"document_id,omitempty" validate:"max=64"` // a paper consent: the uploaded signed form (a signed agreement)
}

// WrittenOnly are the topics whose consent counts only in writing:
// commercial or charitable use "alleen met uitdrukkelijke schriftelijke
// toestemming" [001], health data to the commissioner [002 art 5.1, 004].
var WrittenOnly = map[ConsentTopic]bool{ConsentCommercialUse: true, ConsentShareHealth: true}

// CheckWritten applies the written-consent rule to a change: giving a
// written-only consent needs the portal or a paper consent with its signed
// form. A withdrawal is taken however it comes (AVG art 7(3)). A form goes
// only with a paper consent.
func CheckWritten(c ConsentChange) error {
	switch {
	case c.DocumentID != "" && c.Method != ConsentPaper:
		return opstap.FieldError("document_id", "a signed form goes with a paper consent")
	case !c.Given || !WrittenOnly[c.Topic] || c.Method == ConsentPortal:
		return nil
	case c.Method != ConsentPaper:
		return opstap.FieldError("method", "this consent counts only in writing: the candidate's own action in the portal or an uploaded signed form")
	case c.DocumentID == "":
		return opstap.FieldError("document_id", "upload the signed consent form to the dossier and choose it")
	}
	return nil
}

// defaultPurposes are the purpose texts recorded when staff or the
// candidate write none; they are English keys the pages translate.
var defaultPurposes = map[ConsentTopic]string{
	ConsentShareActionPlan: "Sending your action plan to your commissioner, after you approved it.",
	ConsentShareReports:    "Sending reports about your trajectory to your commissioner.",
	ConsentShareHealth:     "Including information about your health in reports to your commissioner.",
	ConsentShareCV:         "Sending your CV or profile to employers for a job or placement.",
	ConsentCommercialUse:   "Using your data for commercial or charitable purposes.",
	ConsentNewsletters:     "Sending you newsletters and mailings.",
}

func (c *ConsentChange) validate() error {
	if !slices.Contains(ConsentTopics, c.Topic) {
		return opstap.FieldError("topic", "unknown consent topic")
	}
	c.Purpose = strings.TrimSpace(c.Purpose)
	if c.Purpose == "" {
		c.Purpose = defaultPurposes[c.Topic]
	}
	if utf8.RuneCountInString(c.Purpose) > consentPurposeMaxLength {
		return opstap.FieldError("purpose", "the text is too long")
	}
	return nil
}

// checkMethod decides who may record a consent and how: the candidate
// gives or withdraws in the portal; the assigned coach records a paper or
// verbal consent on the candidate's behalf. Nobody else records consent:
// the commissioner in particular never does.
func checkMethod(role opstap.Role, c *ConsentChange) error {
	switch role {
	case opstap.RoleCandidate:
		if c.Method == "" {
			c.Method = ConsentPortal
		}
		if c.Method != ConsentPortal {
			return opstap.FieldError("method", "in the portal you record your own consent")
		}
	case opstap.RoleCoach:
		if c.Method != ConsentPaper && c.Method != ConsentVerbal {
			return opstap.FieldError("method", "staff record a paper or verbal consent")
		}
	default:
		return forbidden()
	}
	return nil
}

// RecordConsent gives or withdraws a consent as a new row; a withdrawal
// takes effect at once, because every check reads the latest row
// [001, 004]. It returns the new row.
func (db *DB) RecordConsent(ctx context.Context, a *opstap.Actor, candidateID string, c ConsentChange) (*Consent, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	var out *Consent
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatBasic, opstap.Write, PurposeConsent, "")
		if err != nil {
			return err
		}
		if err := checkMethod(d.Role, &c); err != nil {
			return err
		}
		if err := CheckWritten(c); err != nil {
			return err
		}
		if err := tx.checkConsentForm(ctx, candidateID, c.DocumentID); err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		if out, err = tx.insertConsent(ctx, dk, candidateID, a.UserID, c); err != nil {
			return err
		}
		e := candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Write, PurposeConsent)
		e.Detail = "consent " + string(c.Topic)
		return tx.Audit(ctx, e)
	})
	if err == nil && c.Topic == ConsentShareCV {
		db.reindexCandidate(ctx, candidateID) // the flex profile's visibility follows this consent
	}
	return out, err
}

// checkConsentForm checks that a paper consent's form is a signed
// agreement in this candidate's dossier.
func (tx *Tx) checkConsentForm(ctx context.Context, candidateID, docID string) error {
	if docID == "" {
		return nil
	}
	var kind DocumentKind
	err := tx.queryRow(ctx, `SELECT kind FROM dossier_documents WHERE id = ? AND candidate_id = ?`, docID, candidateID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != DocSignedAgreement) {
		return opstap.FieldError("document_id", "choose a signed agreement uploaded to this candidate's dossier")
	}
	return err
}

// PurposeConsent is the audit purpose of consent records.
const PurposeConsent = "consent"

func (tx *Tx) insertConsent(ctx context.Context, dk vault.DataKey, candidateID, by string, c ConsentChange) (*Consent, error) {
	var last int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM consents WHERE candidate_id = ? AND topic = ?`, candidateID, string(c.Topic)).Scan(&last); err != nil {
		return nil, err
	}
	out := &Consent{ID: newID(), Topic: c.Topic, Version: last + 1, Given: c.Given, Purpose: c.Purpose, Method: c.Method, DocumentID: c.DocumentID, RecordedBy: by, RecordedAt: tx.Now()}
	ct := dk.Seal([]byte(c.Purpose), vault.FieldAAD(candidateID, "consent:"+out.ID))
	_, err := tx.exec(ctx, `INSERT INTO consents (id, candidate_id, topic, version, given, purpose_ct, method, form_document_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		out.ID, candidateID, string(out.Topic), out.Version, out.Given, ct, string(out.Method), nullIfEmpty(out.DocumentID), by, out.RecordedAt)
	return out, err
}

// Consents returns the candidate's consent history, newest first, as the
// access policy allows the read.
func (db *DB) Consents(ctx context.Context, a *opstap.Actor, candidateID string) ([]Consent, error) {
	var out []Consent
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := db.decide(ctx, a, s, opstap.CatBasic, opstap.Read, PurposeConsent, "")
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		if out, err = tx.consents(ctx, dk, candidateID); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, candidateID, opstap.CatBasic, opstap.Read, PurposeConsent))
	})
	return out, err
}

func (tx *Tx) consents(ctx context.Context, dk vault.DataKey, candidateID string) ([]Consent, error) {
	rows, err := tx.query(ctx, (`SELECT id, topic, version, given, purpose_ct, method, COALESCE(form_document_id, ''), recorded_by, recorded_at
		FROM consents WHERE candidate_id = ? ORDER BY recorded_at DESC, topic, version DESC`), candidateID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		var c Consent
		var ct []byte
		if err := rows.Scan(&c.ID, &c.Topic, &c.Version, &c.Given, &ct, &c.Method, &c.DocumentID, &c.RecordedBy, scanTime(&c.RecordedAt)); err != nil {
			return nil, err
		}
		plain, err := dk.Open(ct, vault.FieldAAD(candidateID, "consent:"+c.ID))
		if err != nil {
			return nil, err
		}
		c.Purpose = string(plain)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CurrentConsents reduces a history (newest first) to the latest row per
// topic.
func CurrentConsents(history []Consent) map[ConsentTopic]Consent {
	cur := map[ConsentTopic]Consent{}
	for _, c := range history {
		if have, ok := cur[c.Topic]; !ok || c.Version > have.Version {
			cur[c.Topic] = c
		}
	}
	return cur
}

// latestConsent returns the current row of a topic, or nil when none was
// ever recorded.
func (tx *Tx) latestConsent(ctx context.Context, candidateID string, t ConsentTopic) (*Consent, error) {
	var c Consent
	err := tx.queryRow(ctx, `SELECT id, topic, version, given, method, COALESCE(form_document_id, ''), recorded_by, recorded_at FROM consents
		WHERE candidate_id = ? AND topic = ? ORDER BY version DESC LIMIT 1`, candidateID, string(t)).
		Scan(&c.ID, &c.Topic, &c.Version, &c.Given, &c.Method, &c.DocumentID, &c.RecordedBy, scanTime(&c.RecordedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &c, err
}

// ConsentGiven reports whether the candidate's latest record for the
// topic gives consent, in writing where the topic needs it; other features
// (mailings, commercial use) ask it right before acting, so an objection
// stops them at once [001, 004]. It is a system check and reads no
// personal data.
func (db *DB) ConsentGiven(ctx context.Context, candidateID string, t ConsentTopic) (bool, error) {
	var given bool
	err := db.WithTx(ctx, func(tx *Tx) error {
		c, err := tx.latestConsent(ctx, candidateID, t)
		given = c != nil && c.Given && (!WrittenOnly[t] || c.Written())
		return err
	})
	return given, err
}

// OwnCandidateID returns the candidate record of the actor's own portal
// account; the portal pages use it to find "my" consents and reports.
func (db *DB) OwnCandidateID(ctx context.Context, a *opstap.Actor) (string, error) {
	if a == nil || !a.Has(opstap.RoleCandidate, opstap.Read) {
		return "", errNoCandidate
	}
	var id string
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT id FROM candidates WHERE user_id = ?`), a.UserID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNoCandidate
	}
	return id, err
}
