package render

import (
	"fmt"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// OrgKindLabels name the kinds of recipients in the register.
var OrgKindLabels = map[opstap.OrgKind]string{
	opstap.OrgProvider:       "Provider",
	opstap.OrgMunicipality:   "Municipalities",
	opstap.OrgUWV:            "UWV",
	opstap.OrgEmployerClient: "Employers commissioning for their (ex-)employees",
	opstap.OrgClientEmployer: "Client employers (flex placements)",
}

// ProcessingPDF renders the records of processing activities (AVG art 30)
// in the reader's language; rec is generated on request, never stored.
func ProcessingPDF(rec *store.ProcessingRecord, lang string) ([]byte, error) {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	var controllers []string
	for _, o := range rec.Controllers {
		controllers = append(controllers, o.Name)
	}
	d := Document{
		Title: t("Records of processing activities"), Author: rec.Processor, Subject: t("AVG article 30"), Lang: lang, Created: rec.GeneratedAt,
		Fields: []Field{
			{t("Processor"), rec.Processor},
			{t("Controllers"), strings.Join(controllers, ", ")},
			{t("Generated on"), rec.GeneratedAt.In(opstap.Amsterdam).Format("02-01-2006 15:04")},
		},
		Footer: t("Records of processing activities") + " · " + rec.Processor,
		Table:  &Table{Caption: t("Data categories"), Headers: []string{t("Category"), t("Special category"), t("Who may read or write")}},
	}
	for _, c := range rec.Categories {
		d.Table.Rows = append(d.Table.Rows, []string{i18n.Label(lang, "category", string(c.Category)), yesNo(t, c.Special), AccessText(lang, c.Access)})
	}
	d.Extra = ProcessingSections(rec, lang)
	return PDF(d)
}

// ProcessingSections are the register's sections after the categories, as
// text, shared by the PDF and usable by other renderings.
func ProcessingSections(rec *store.ProcessingRecord, lang string) []Section {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	var purposes, recipients, retention, security, processors []string
	for _, p := range rec.Purposes {
		purposes = append(purposes, fmt.Sprintf("%s (%s %s)", t(p.Text), t("AVG article"), p.Basis))
	}
	for _, r := range rec.Recipients {
		cats := make([]string, len(r.Categories))
		for i, c := range r.Categories {
			cats[i] = i18n.Label(lang, "category", string(c))
		}
		recipients = append(recipients, fmt.Sprintf("%s: %s. %s: %s", t(OrgKindLabels[r.Kind]), orNone(t, strings.Join(r.Organisations, ", ")), t("Receives"), orNone(t, strings.Join(cats, ", "))))
	}
	for _, r := range rec.Retention {
		who := r.Commissioner
		if who == "" {
			who = t("default")
		}
		retention = append(retention, t("%s, %s: %d years after %s", who, i18n.Label(lang, "retention", r.Category), r.Years, i18n.Label(lang, "retention_event", r.Event))+noteOf(t(r.Note)))
	}
	for _, s := range rec.Security {
		security = append(security, t(s))
	}
	security = append(security, t("Key versions in use: %v. Audit log entries: %d. Rights overdue for review: %d. Open breaches: %d.",
		rec.Facts.KeyVersions, rec.Facts.AuditEntries, rec.Facts.OverdueGrants, rec.Facts.OpenBreaches))
	for _, p := range rec.Processors {
		processors = append(processors, t(p))
	}
	return []Section{
		{t("Purposes and legal bases"), strings.Join(purposes, "\n\n")},
		{t("Recipients"), strings.Join(recipients, "\n\n")},
		{t("Retention"), strings.Join(retention, "\n\n")},
		{t("Security measures"), strings.Join(security, "\n\n")},
		{t("Processors"), strings.Join(processors, "\n\n")},
	}
}

// AccessText lists roles with read or write.
func AccessText(lang string, ra []store.RoleAccess) string {
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	parts := make([]string, len(ra))
	for i, r := range ra {
		parts[i] = i18n.Label(lang, "role", string(r.Role)) + " (" + i18n.Label(lang, "access", string(r.Action)) + ")"
	}
	return orNone(t, strings.Join(parts, ", "))
}

func yesNo(t func(string, ...any) string, b bool) string {
	if b {
		return t("yes")
	}
	return t("no")
}

func orNone(t func(string, ...any) string, s string) string {
	if s == "" {
		return t("none")
	}
	return s
}

func noteOf(n string) string {
	if n == "" {
		return ""
	}
	return " — " + n
}
