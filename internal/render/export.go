package render

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/opstap/opstap/internal/privacy"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/timesheet"
	"github.com/opstap/opstap/internal/trajectory"
)

// The access export leaves Opstap as one ZIP: the machine-readable JSON,
// the same in a readable PDF, and the documents themselves [002 art 7.1;
// 004 "Inzagerecht"; AVG art 15(3)].
const (
	ExportJSONName = "opstap-export.json"
	ExportPDFName  = "opstap-export.pdf"
	exportDocsDir  = "documents/"
)

// ExportZIP packs the export for the candidate.
func ExportZIP(ex *store.Export, lang string) ([]byte, error) {
	js, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		return nil, err
	}
	pdf, err := ExportPDF(ex, lang)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, b []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: ex.GeneratedAt})
		if err == nil {
			_, err = w.Write(b)
		}
		return err
	}
	if err := put(ExportJSONName, js); err != nil {
		return nil, err
	}
	if err := put(ExportPDFName, pdf); err != nil {
		return nil, err
	}
	for _, f := range ex.Files {
		// The id keeps two files of the same name apart; path.Base keeps a
		// stored name from leaving the folder.
		if err := put(exportDocsDir+f.DocumentID+"-"+path.Base(f.Name), f.Content); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// exportText builds the readable sections in the reader's language.
type exportText struct {
	ex   *store.Export
	lang string
	t    func(string, ...any) string
}

// ExportPDF renders the export readably: every part of the JSON, in order.
func ExportPDF(ex *store.Export, lang string) ([]byte, error) {
	x := exportText{ex: ex, lang: lang, t: func(s string, args ...any) string { return i18n.T(lang, s, args...) }}
	t := x.t
	d := Document{
		Title: t("Your data at %s", ex.Provider), Author: ex.Provider, Subject: t("Access to your data"), Lang: lang, Created: ex.GeneratedAt,
		Fields: []Field{
			{t("Candidate"), x.name()},
			{t("Commissioner"), ex.Candidate.Commissioner},
			{t("Coach"), orDash(ex.Candidate.CoachName)},
			{t("Registered on"), ex.Candidate.RegisteredOn.Dutch()},
			{t("Generated at"), dateTime(ex.GeneratedAt)},
		},
		Body:   t("This file holds everything %s keeps about you. The file %s holds the same in a form computers can read; the folder %s holds your documents.", ex.Provider, ExportJSONName, exportDocsDir),
		Footer: t("%s · confidential", ex.Provider),
	}
	d.Extra = append(d.Extra, x.categories()...)
	d.Extra = append(d.Extra, x.entries(), x.documents(), x.trajectories(), x.consents(), x.reports(), x.sharings(),
		x.complaints(), x.breakGlass(), x.requests(), x.hours(), x.accessLog())
	return PDF(d)
}

func (x exportText) name() string {
	for _, c := range x.ex.Categories {
		if c.Category == opstap.CatBasic {
			var b struct{ FirstName, LastName string }
			_ = json.Unmarshal(c.Data, &struct {
				F *string `json:"first_name"`
				L *string `json:"last_name"`
			}{&b.FirstName, &b.LastName})
			return strings.TrimSpace(b.FirstName + " " + b.LastName)
		}
	}
	return x.ex.Candidate.ID
}

// categories prints each stored category as its fields, sorted.
func (x exportText) categories() []Section {
	var out []Section
	for _, c := range x.ex.Categories {
		var m map[string]any
		if err := json.Unmarshal(c.Data, &m); err != nil {
			continue
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var lines []string
		for _, k := range keys {
			lines = append(lines, k+": "+fmt.Sprint(m[k]))
		}
		out = append(out, Section{i18n.Label(x.lang, "category", string(c.Category)), strings.Join(lines, "\n")})
	}
	if l := x.ex.Limitations; l != nil {
		out = append(out, Section{x.t("Functional limitations"), strings.Join(l.Codes, ", ")})
	}
	return out
}

// list joins one line per item, or a dash for none.
func list[T any](items []T, line func(T) string) string {
	if len(items) == 0 {
		return "—"
	}
	var b strings.Builder
	for _, it := range items {
		b.WriteString(line(it))
		b.WriteString("\n\n")
	}
	return b.String()
}

func (x exportText) entries() Section {
	return Section{x.t("Dossier entries"), list(x.ex.DossierEntries, func(e store.ExportEntry) string {
		var b strings.Builder
		for _, v := range e.History {
			fmt.Fprintf(&b, "%s · %s · %s (%s %d, %s)\n%s\n", v.OccurredOn.Dutch(), v.Kind, v.Title, x.t("Version"), v.Version, dateTime(v.SavedAt), v.Body)
		}
		return strings.TrimSpace(b.String())
	})}
}

// hours lists the worked hours, one line per day or correction.
func (x exportText) hours() Section {
	return Section{x.t("category:timesheets"), list(x.ex.Hours, func(l timesheet.Line) string {
		s := fmt.Sprintf("%s · %s · %d km · € %s · %s", l.Day.Dutch(), l.Minutes, l.TravelKm, l.TransitCents, i18n.Label(x.lang, "hours-status", string(l.Status)))
		if l.CorrectsID != "" {
			s = x.t("Correction in %s", l.Month.Dutch()) + ": " + s
		}
		if l.Reason != "" {
			s += " · " + l.Reason
		}
		return s
	})}
}

func (x exportText) documents() Section {
	return Section{x.t("Documents"), list(x.ex.Documents, func(d store.Document) string {
		return fmt.Sprintf("%s · %s · %s · %d bytes", dateTime(d.UploadedAt), d.Filename, d.ContentType, d.Size)
	})}
}

func (x exportText) trajectories() Section {
	return Section{x.t("Trajectories"), list(x.ex.Trajectories, func(tr trajectory.Trajectory) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s · %s · %s", dateTime(tr.CreatedAt), tr.Kind, tr.Status)
		for _, a := range tr.Appointments {
			fmt.Fprintf(&b, "\n%s: %s %s", x.t("Appointment"), dateTime(a.StartsAt), a.Location)
			if a.Absence != nil {
				fmt.Fprintf(&b, " · %s: %s", x.t("Absence"), a.Absence.Reason)
			}
		}
		for _, e := range tr.History {
			fmt.Fprintf(&b, "\n%s %s %s %s", dateTime(e.At), e.Event, e.To, e.Note)
		}
		return b.String()
	})}
}

func (x exportText) consents() Section {
	return Section{x.t("Consents"), list(x.ex.Consents, func(c consent.Record) string {
		given := x.t("withdrawn")
		if c.Given {
			given = x.t("given")
		}
		return fmt.Sprintf("%s · %s · %s · %s", dateTime(c.RecordedAt), c.Topic, given, c.Purpose)
	})}
}

func (x exportText) reports() Section {
	return Section{x.t("Reports"), list(x.ex.Reports, func(r dossier.Report) string {
		var b strings.Builder
		for _, v := range r.Versions {
			fmt.Fprintf(&b, "%s · %s (%s %d, %s)\n%s\n", dateTime(v.WrittenAt), v.Content.Title, x.t("Version"), v.Version, v.Status, v.Content.Body)
			for _, a := range v.Content.Activities {
				fmt.Fprintf(&b, "– %s: %s / %s / %s\n", a.Activity, a.Product, a.Planned, a.Achieved)
			}
		}
		return strings.TrimSpace(b.String())
	})}
}

func (x exportText) sharings() Section {
	return Section{x.t("Shared with"), list(x.ex.Sharings, func(s dossier.Sharing) string {
		return fmt.Sprintf("%s · %s · %s · %s %s · %s %s", dateTime(s.SharedAt), s.OrgName, s.Kind, x.t("AVG article"), s.AVGArticle, s.Explanation, s.Note)
	})}
}

func (x exportText) complaints() Section {
	return Section{x.t("Complaints"), list(x.ex.Complaints, func(c *complaint.Complaint) string {
		s := fmt.Sprintf("%s · %s\n%s\n%s %s", c.ReceivedOn.Dutch(), c.Subject, c.Description, c.Outcome, c.OutcomeText)
		for _, n := range c.Notes {
			s += fmt.Sprintf("\n%s · %s: %s", dateTime(n.CreatedAt), n.Author, n.Text)
		}
		return s
	})}
}

func (x exportText) breakGlass() Section {
	return Section{x.t("Openings of your file with a stated reason"), list(x.ex.BreakGlass, func(b store.BreakGlass) string {
		return fmt.Sprintf("%s · %s · %s", dateTime(b.At), b.UserName, b.Reason)
	})}
}

func (x exportText) requests() Section {
	return Section{x.t("Your privacy requests"), list(x.ex.RightsRequests, func(r store.RightsRequest) string {
		return fmt.Sprintf("%s · %s · %s\n%s\n%s", r.ReceivedOn.Dutch(), x.t(privacy.RightsKindLabels[r.Kind]), x.t(privacy.RightsStatusLabels[r.Status]), r.Description, r.Answer)
	})}
}

// accessLog prints one compact line per entry: the log can be long.
func (x exportText) accessLog() Section {
	var b strings.Builder
	for _, e := range x.ex.AccessLog {
		fmt.Fprintf(&b, "%s · %s · %s · %s · %s · %s %s %s\n", dateTime(e.At), orDash(e.ActorName), i18n.Label(x.lang, "role", e.Role), e.Organisation, e.Purpose, e.Event, e.Action, e.Category)
	}
	return Section{x.t("Who used your data"), orDash(b.String())}
}
