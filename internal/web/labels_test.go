package web

import (
	"fmt"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/privacy"
)

// TestLabelFamiliesCoverDomainCodes ties i18n's labels table to the domain's
// own lists of codes: a code added to a domain list without a label would
// show as a bare code on a Dutch page (i18n.Label falls back to the code).
func TestLabelFamiliesCoverDomainCodes(t *testing.T) {
	check := func(family string, codes ...any) {
		for _, c := range codes {
			if !i18n.HasLabel(family, c) {
				t.Errorf("label family %q has no code %q: add it to internal/i18n/labels.go and the catalogue", family, fmt.Sprint(c))
			}
		}
	}
	check("role", anys(opstap.RoleCoach, opstap.RoleMedicalExpert, opstap.RoleFinance, opstap.RolePrivacyOfficer, opstap.RoleComplaintsDesk,
		opstap.RoleAdmin, opstap.RoleAuditor, opstap.RoleCaseManager, opstap.RoleEmployer, opstap.RoleCandidate)...)
	check("category", anys(opstap.Categories...)...)
	check("assignment-status", anys(flex.Statuses...)...)
	check("assignment-set", anys(flex.StatusOpen, flex.StatusFilled, flex.StatusClosed)...)
	check("placement", anys(flex.PlacementStatuses...)...)
	check("outcome", anys(flex.Outcomes...)...)
	check("consent-topic", anys(consent.Topics...)...)
	check("breach-status", anys(privacy.BreachStatuses...)...)
	check("legal-ground", anys(dossier.LegalGrounds...)...)
	check("report-kind", anys(dossier.ReportKinds...)...)
	check("retention", anys(privacy.RetentionCategories...)...)
	check("avg-ground", anys(privacy.AVGGrounds...)...)
	check("agreement", anys(privacy.AgreementKinds...)...)
	check("benefit", anys(candidate.BenefitKinds...)...)
}

func anys[T any](xs ...T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
