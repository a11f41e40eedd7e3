package privacy

import (
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Processor duties towards each commissioner [003 bewerkersovereenkomst]:
// the sub-processors engaged, the controller's audits "minimaal eens per
// twee jaar" (art 3 lid 1), and at the end of the contract the return of
// the data needed to continue [003 art 7.5 lid 2] before its deletion.

// AuditIntervalMonths is the longest time between two audits by a
// commissioner [003 bewerkers art 3 lid 1].
const AuditIntervalMonths = 24

const maxProcessorText = 500

// SubProcessor is a party that processes the commissioners' data on the
// provider's behalf (hosting, e-mail, backups); the confidentiality duty is
// passed on to them [003 bewerkers art 4 lid 1].
type SubProcessor struct {
	Name     string      `json:"name" validate:"required,max=500"`
	Purpose  string      `json:"purpose" validate:"required,max=500"`
	Location string      `json:"location" validate:"required,max=500"` // where the data is processed (country, data centre)
	Since    opstap.Date `json:"since" validate:"required"`
	Until    opstap.Date `json:"until"` // empty while engaged
}

// Validate checks a register entry and tidies its texts.
func (s *SubProcessor) Validate() error {
	for _, p := range []*string{&s.Name, &s.Purpose, &s.Location} {
		*p = strings.TrimSpace(*p)
	}
	switch {
	case s.Name == "":
		return opstap.FieldError("name", "name the sub-processor")
	case s.Purpose == "":
		return opstap.FieldError("purpose", "say what the sub-processor does with the data")
	case s.Location == "":
		return opstap.FieldError("location", "say where the data is processed")
	case utf8.RuneCountInString(s.Name+s.Purpose+s.Location) > 3*maxProcessorText:
		return opstap.FieldError("purpose", "the text is too long")
	case s.Since.IsZero():
		return opstap.FieldError("since", "since when is it engaged?")
	case !s.Until.IsZero() && s.Until.Before(s.Since):
		return opstap.FieldError("until", "the end lies before the start")
	}
	return nil
}

// Engaged reports whether the sub-processor is engaged on the day.
func (s *SubProcessor) Engaged(day opstap.Date) bool {
	return !day.Before(s.Since) && (s.Until.IsZero() || !day.After(s.Until))
}

// NextAuditDue is the day by which a commissioner should have audited
// again: two years after the last audit, or after the contract's start
// when there was none yet. Zero when neither is known.
func NextAuditDue(lastAudit, contractStart opstap.Date) opstap.Date {
	from := lastAudit
	if from.IsZero() {
		from = contractStart
	}
	if from.IsZero() {
		return opstap.Date{}
	}
	return from.AddMonths(AuditIntervalMonths)
}

// AuditOverdue reports whether the audit is overdue on today.
func AuditOverdue(due, today opstap.Date) bool { return !due.IsZero() && today.After(due) }

// ValidateAudit checks a recorded audit.
func ValidateAudit(on, today opstap.Date, auditor string) error {
	switch {
	case on.IsZero():
		return opstap.FieldError("audited_on", "when did the audit take place?")
	case on.After(today):
		return opstap.FieldError("audited_on", "record an audit once it took place")
	case strings.TrimSpace(auditor) == "":
		return opstap.FieldError("auditor", "name who audited")
	case utf8.RuneCountInString(auditor) > maxProcessorText:
		return opstap.FieldError("auditor", "the text is too long")
	}
	return nil
}

// Contract is a commissioner's service agreement as far as the processor
// duties need it.
type Contract struct {
	StartedOn opstap.Date `json:"started_on" validate:"required"`
	EndedOn   opstap.Date `json:"ended_on"`
}

// Validate checks the dates.
func (c Contract) Validate() error {
	switch {
	case c.StartedOn.IsZero():
		return opstap.FieldError("started_on", "the start date is required")
	case !c.EndedOn.IsZero() && c.EndedOn.Before(c.StartedOn):
		return opstap.FieldError("ended_on", "the end lies before the start")
	}
	return nil
}

// MayDestroy decides whether a commissioner's data may be deleted at the
// end of the contract: the contract has ended and the data was returned
// first [003 art 7.5 lid 2]; the bewerkersovereenkomst stays in force as
// long as the provider still holds the data [003 bewerkers art 11].
func MayDestroy(c Contract, returned bool, today opstap.Date) error {
	switch {
	case c.EndedOn.IsZero() || today.Before(c.EndedOn):
		return opstap.Errorf(opstap.ECONFLICT, "the contract has not ended")
	case !returned:
		return opstap.Errorf(opstap.ECONFLICT, "hand the data over first (opstap handover export)")
	}
	return nil
}
