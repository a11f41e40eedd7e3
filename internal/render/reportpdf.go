// Package render turns documents into files that leave Opstap. Written
// reports go out as PDF, so the receiver cannot change them [004
// "Rapportage naar opdrachtgever"].
package render

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap/internal/dossier"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// Document is a PDF's content and metadata, with every label already in
// the reader's language.
type Document struct {
	Title   string // document title, also the PDF Title
	Author  string // the provider
	Subject string
	Lang    string // BCP 47, e.g. "nl"
	Created time.Time
	Fields  []Field   // label/value lines under the title
	Body    string    // free text; blank lines separate paragraphs
	Table   *Table    // optional, e.g. an action plan's activities
	Footer  string    // printed at the bottom of every page
	Heading string    // optional heading above the body
	Grids   []Grid    // tables of figures after the table
	Extra   []Section // further sections after the tables
}

// Field is one label/value line.
type Field struct{ Label, Value string }

// Table is a simple table with a header row.
type Table struct {
	Caption string
	Headers []string
	Rows    [][]string
}

// Section is a heading with text.
type Section struct{ Heading, Text string }

const (
	family   = "Go" // the Go fonts, embedded so no system font is needed
	margin   = 20.0
	pageW    = 210.0
	lineH    = 5.5
	fontSize = 10.5
)

// PDF renders the document. Fonts are embedded (TrueType subsets of the Go
// fonts) so Dutch diacritics show on any reader.
func PDF(d Document) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AddUTF8FontFromBytes(family, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	setMetadata(pdf, d)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin + 5)
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(0, 4, fmt.Sprintf("%s · %d/{nb}", d.Footer, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AliasNbPages("")
	pdf.AddPage()
	pdf.SetFont(family, "B", 16)
	pdf.MultiCell(0, 8, d.Title, "", "L", false)
	pdf.Ln(2)
	writeFields(pdf, d.Fields)
	if d.Heading != "" {
		heading(pdf, d.Heading)
	}
	paragraphs(pdf, d.Body)
	if d.Table != nil {
		writeTable(pdf, d.Table)
	}
	for _, g := range d.Grids {
		writeGrid(pdf, g)
	}
	for _, s := range d.Extra {
		heading(pdf, s.Heading)
		paragraphs(pdf, s.Text)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return pdfA(buf.Bytes(), d)
}

func setMetadata(pdf *fpdf.Fpdf, d Document) {
	pdf.SetTitle(d.Title, true)
	pdf.SetAuthor(d.Author, true)
	pdf.SetSubject(d.Subject, true)
	pdf.SetCreator(creator, true)
	pdf.SetProducer(producer, true)
	pdf.SetLang(d.Lang)
	pdf.SetCreationDate(d.Created)
	pdf.SetModificationDate(d.Created)
}

// labelWidth fits the widest bold label, between 45 and 80 mm, so a long
// label never runs into its value.
func labelWidth(pdf *fpdf.Fpdf, labels []string) float64 {
	pdf.SetFont(family, "B", fontSize)
	w := 45.0
	for _, l := range labels {
		w = max(w, pdf.GetStringWidth(l)+4)
	}
	return min(w, 80)
}

func writeFields(pdf *fpdf.Fpdf, fs []Field) {
	labels := make([]string, len(fs))
	for i, f := range fs {
		labels[i] = f.Label
	}
	lw := labelWidth(pdf, labels)
	for _, f := range fs {
		pdf.SetFont(family, "B", fontSize)
		pdf.CellFormat(lw, lineH, f.Label, "", 0, "L", false, 0, "")
		pdf.SetFont(family, "", fontSize)
		pdf.MultiCell(0, lineH, f.Value, "", "L", false)
	}
	pdf.Ln(3)
}

func heading(pdf *fpdf.Fpdf, text string) {
	pdf.Ln(2)
	pdf.SetFont(family, "B", 12)
	pdf.MultiCell(0, 6.5, text, "", "L", false)
	pdf.Ln(1)
}

func paragraphs(pdf *fpdf.Fpdf, text string) {
	pdf.SetFont(family, "", fontSize)
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			pdf.MultiCell(0, lineH, p, "", "L", false)
			pdf.Ln(2)
		}
	}
}

// writeTable prints rows as blocks: each cell can hold a paragraph, which
// fixed-height table rows cannot, so a row is a bold first column followed
// by the other columns as labelled lines.
func writeTable(pdf *fpdf.Fpdf, t *Table) {
	if t.Caption != "" {
		heading(pdf, t.Caption)
	}
	lw := labelWidth(pdf, t.Headers[min(1, len(t.Headers)):])
	for i, row := range t.Rows {
		pdf.SetFont(family, "B", fontSize)
		pdf.MultiCell(0, lineH, fmt.Sprintf("%d. %s", i+1, cell(row, 0)), "T", "L", false)
		for c := 1; c < len(t.Headers); c++ {
			pdf.SetFont(family, "B", fontSize)
			pdf.CellFormat(lw, lineH, t.Headers[c], "", 0, "L", false, 0, "")
			pdf.SetFont(family, "", fontSize)
			pdf.MultiCell(0, lineH, orDash(cell(row, c)), "", "L", false)
		}
		pdf.Ln(2)
	}
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// SharedReportPDF renders a shared report for its receiver, in Dutch: the
// language of the commissioners it goes to.
func SharedReportPDF(sr *store.SharedReport, at time.Time) ([]byte, error) {
	const lang = "nl"
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	kind := i18n.Label(lang, "report-kind", string(sr.Kind))
	fields := []Field{
		{t("Candidate"), sr.CandidateName},
		{t("Kind"), kind},
		{t("Version"), fmt.Sprint(sr.Version)},
		{t("Commissioner"), sr.Commissioner},
		{t("Shared on"), sr.SharedAt.In(opstap.Amsterdam).Format("02-01-2006 15:04")},
		{t("Legal ground"), t("AVG article %s", sr.AVGArticle)},
	}
	if sr.Status == dossier.StatusApproved && sr.DecidedAt != nil {
		fields = append(fields, Field{t("Approved by the candidate"), sr.DecidedAt.In(opstap.Amsterdam).Format("02-01-2006 15:04")})
	}
	d := Document{
		Title: sr.Content.Title, Author: sr.Provider, Subject: kind, Lang: lang, Created: at,
		Fields: fields, Body: sr.Content.Body,
		Footer: t("%s · confidential · %s", sr.Provider, sr.Commissioner),
	}
	if len(sr.Content.Activities) > 0 {
		d.Table = &Table{Caption: t("Activities"), Headers: []string{t("Activity"), t("Product"), t("Planned result"), t("Achieved result")}}
		for _, a := range sr.Content.Activities {
			d.Table.Rows = append(d.Table.Rows, []string{a.Activity, a.Product, a.Planned, a.Achieved})
		}
	}
	return PDF(d)
}

// WriteFile sends a made file as a download that no cache keeps.
func WriteFile(w http.ResponseWriter, contentType, name string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}
