package consent_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/consent"
)

func field(err error) string {
	if e := opstap.AsError(err); e != nil {
		return e.Field
	}
	return ""
}

// TestWrittenConsentRule: commercial or charitable use only "met
// uitdrukkelijke schriftelijke toestemming" [001]; health data to the
// commissioner only with written consent [002 art 5.1, 004]; a withdrawal
// is taken however it comes (AVG art 7(3)); a form goes with paper only.
func TestWrittenConsentRule(t *testing.T) {
	tests := []struct {
		name  string
		ch    consent.Change
		field string
	}{
		{"portal", consent.Change{Topic: consent.CommercialUse, Given: true, Method: consent.Portal}, ""},
		{"paper with form", consent.Change{Topic: consent.CommercialUse, Given: true, Method: consent.Paper, DocumentID: "d"}, ""},
		{"paper without form", consent.Change{Topic: consent.CommercialUse, Given: true, Method: consent.Paper}, "document_id"},
		{"verbal", consent.Change{Topic: consent.CommercialUse, Given: true, Method: consent.Verbal}, "method"},
		{"verbal health", consent.Change{Topic: consent.ShareHealth, Given: true, Method: consent.Verbal}, "method"},
		{"verbal withdrawal", consent.Change{Topic: consent.CommercialUse, Method: consent.Verbal}, ""},
		{"verbal newsletters", consent.Change{Topic: consent.Newsletters, Given: true, Method: consent.Verbal}, ""},
		{"verbal CV", consent.Change{Topic: consent.ShareCV, Given: true, Method: consent.Verbal}, ""},
		{"form without paper", consent.Change{Topic: consent.Newsletters, Given: true, Method: consent.Verbal, DocumentID: "d"}, "document_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := consent.CheckWritten(tt.ch)
			if f := field(err); f != tt.field || (tt.field == "" && err != nil) {
				t.Fatalf("%v, want field %q", err, tt.field)
			}
		})
	}
}

// TestConsentCounts: the current record gives consent; for the
// written-only topics only in writing [001, 002 art 5.1].
func TestConsentCounts(t *testing.T) {
	tests := []struct {
		name string
		c    *consent.Record
		want bool
	}{
		{"never recorded", nil, false},
		{"withdrawn", &consent.Record{Topic: consent.ShareReports, Given: false, Method: consent.Portal}, false},
		{"verbal reports", &consent.Record{Topic: consent.ShareReports, Given: true, Method: consent.Verbal}, true},
		{"verbal commercial", &consent.Record{Topic: consent.CommercialUse, Given: true, Method: consent.Verbal}, false},
		{"paper health without form", &consent.Record{Topic: consent.ShareHealth, Given: true, Method: consent.Paper}, false},
		{"paper health with form", &consent.Record{Topic: consent.ShareHealth, Given: true, Method: consent.Paper, DocumentID: "d"}, true},
		{"portal commercial", &consent.Record{Topic: consent.CommercialUse, Given: true, Method: consent.Portal}, true},
	}
	for _, tt := range tests {
		if got := consent.Counts(tt.c); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestConsentMethod: the candidate records in the portal; the coach on
// paper or verbally on their behalf; nobody else, the commissioner least
// of all [004 "Toestemming kandidaat"].
func TestConsentMethod(t *testing.T) {
	tests := []struct {
		role   opstap.Role
		method consent.Method
		want   consent.Method
		code   string
		field  string
	}{
		{opstap.RoleCandidate, "", consent.Portal, "", ""},
		{opstap.RoleCandidate, consent.Portal, consent.Portal, "", ""},
		{opstap.RoleCandidate, consent.Paper, consent.Paper, opstap.EINVALID, "method"},
		{opstap.RoleCoach, consent.Paper, consent.Paper, "", ""},
		{opstap.RoleCoach, consent.Verbal, consent.Verbal, "", ""},
		{opstap.RoleCoach, consent.Portal, consent.Portal, opstap.EINVALID, "method"},
		{opstap.RoleCoach, "", "", opstap.EINVALID, "method"},
		{opstap.RoleCaseManager, consent.Paper, consent.Paper, opstap.EFORBIDDEN, ""},
		{opstap.RoleEmployer, consent.Portal, consent.Portal, opstap.EFORBIDDEN, ""},
	}
	for _, tt := range tests {
		c := consent.Change{Topic: consent.ShareReports, Given: true, Method: tt.method}
		err := consent.CheckMethod(tt.role, &c)
		if opstap.ErrorCode(err) != tt.code || field(err) != tt.field || c.Method != tt.want {
			t.Errorf("%s %q: %v, method %q; want %q %q %q", tt.role, tt.method, err, c.Method, tt.code, tt.field, tt.want)
		}
	}
}

// TestConsentChange: a known topic; no purpose means the topic's own text.
func TestConsentChange(t *testing.T) {
	c := consent.Change{Topic: consent.Newsletters, Given: true, Purpose: "  "}
	if err := c.Validate(); err != nil || c.Purpose != "Sending you newsletters and mailings." {
		t.Fatalf("%v %q", err, c.Purpose)
	}
	for _, tt := range []struct {
		c     consent.Change
		field string
	}{
		{consent.Change{Topic: "share_everything"}, "topic"},
		{consent.Change{Topic: consent.ShareCV, Purpose: strings.Repeat("é", 2001)}, "purpose"},
		{consent.Change{Topic: consent.ShareCV, Purpose: strings.Repeat("é", 2000)}, ""},
	} {
		if f := field(tt.c.Validate()); f != tt.field {
			t.Errorf("%+v: field %q, want %q", tt.c.Topic, f, tt.field)
		}
	}
}

// TestCurrentConsent: the latest version per topic counts, whatever the
// order of the history.
func TestCurrentConsent(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	h := []consent.Record{
		{Topic: consent.ShareCV, Version: 1, Given: true, RecordedAt: at},
		{Topic: consent.ShareCV, Version: 3, Given: false, RecordedAt: at},
		{Topic: consent.ShareCV, Version: 2, Given: true, RecordedAt: at},
		{Topic: consent.Newsletters, Version: 1, Given: true, RecordedAt: at},
	}
	cur := consent.Current(h)
	if len(cur) != 2 || cur[consent.ShareCV].Version != 3 || cur[consent.ShareCV].Given || !cur[consent.Newsletters].Given {
		t.Fatalf("%+v", cur)
	}
}

// TestObjectionWithdraws_001: an objection withdraws commercial use at
// once, recorded as the candidate's own act in the portal or by staff on
// paper.
func TestObjectionWithdraws_001(t *testing.T) {
	self, staff := consent.Withdrawal(consent.CommercialUse, true), consent.Withdrawal(consent.CommercialUse, false)
	if self.Given || self.Method != consent.Portal || staff.Given || staff.Method != consent.Paper || self.Topic != consent.CommercialUse {
		t.Fatalf("%+v %+v", self, staff)
	}
	if err := consent.CheckWritten(staff); err != nil {
		t.Fatalf("a withdrawal on paper without a form: %v", err)
	}
}
