// Package download sends the files people download — letters and reports as
// PDF, exports as ZIP, spreadsheets, e-invoices and payment files — from the
// web pages and from the API alike. Each file has one handler here, which
// both faces register, so that the page and the API cannot drift apart in
// what they send, to whom, or under which name (issue 14 item 3).
package download

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/billing"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/mgmtreport"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
)

// Handler is the shape of every handler of the web pages and the API: the
// error goes to the face's own adapter, which answers it in its own way
// (an error page or a problem document).
type Handler = func(http.ResponseWriter, *http.Request, *opstap.Actor) error

// Files sends the files kept in or made from the store. The routes that
// register its handlers name the path values {id}, {org} and {party}.
type Files struct{ DB *store.DB }

// RightsLetter is the written answer to a rights request, with its
// reasons [001: "schriftelijk bericht waarin staat uitgelegd waarom"].
func (f Files) RightsLetter(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	l, err := f.DB.FindRightsLetter(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := render.RightsLetterPDF(l, httpx.Lang(r), f.DB.Now())
	return send(w, "application/pdf", "antwoord-verzoek.pdf", b, err)
}

// AccessExport is the candidate's copy of their data after a granted
// access request, as a ZIP.
func (f Files) AccessExport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ex, err := f.DB.AccessExport(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := render.ExportZIP(ex, httpx.Lang(r))
	return send(w, "application/zip", "opstap-inzage.zip", b, err)
}

// Processing is the register of processing activities [AVG art 30].
func (f Files) Processing(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	rec, err := f.DB.RecordsOfProcessing(r.Context(), a)
	if err != nil {
		return err
	}
	b, err := render.ProcessingPDF(rec, httpx.Lang(r))
	return send(w, "application/pdf", "verwerkingsregister.pdf", b, err)
}

// AuditPackage is the package a commissioner receives to audit the
// provider as its processor.
func (f Files) AuditPackage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p, err := f.DB.CommissionerAuditPackage(r.Context(), a, r.PathValue("org"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = render.AuditPackageZip(&buf, p)
	return send(w, "application/zip", "auditpakket-"+p.Commissioner.ID+".zip", buf.Bytes(), err)
}

// SharedReport is a report version shared with the commissioner, as its
// case manager receives it.
func (f Files) SharedReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	sr, err := f.DB.FindSharedReport(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := render.SharedReportPDF(sr, f.DB.Now())
	return send(w, "application/pdf", "rapportage-"+strconv.Itoa(sr.Version)+".pdf", b, err)
}

// PlacementConfirmation is the confirmation of a placement for one party,
// the candidate or the employer.
func (f Files) PlacementConfirmation(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	party := flex.Party(r.PathValue("party"))
	if party != flex.PartyCandidate && party != flex.PartyEmployer {
		return opstap.Errorf(opstap.ENOTFOUND, "no such confirmation")
	}
	b, err := f.DB.PlacementDocument(r.Context(), a, r.PathValue("id"), party)
	return send(w, "application/pdf", "bevestiging-plaatsing-"+string(party)+".pdf", b, err)
}

// Payout is a premium payout batch's SEPA credit transfer file.
func (f Files) Payout(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	b, file, err := f.DB.PayoutFile(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return send(w, "application/xml", b.MessageID+".xml", file, nil)
}

// Invoice is an invoice as PDF ("pdf") or as SI-UBL e-invoice (any other
// format the store makes).
func (f Files) Invoice(format string) Handler {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		b, name, err := f.DB.InvoiceFile(r.Context(), a, r.PathValue("id"), format)
		kind := "application/xml"
		if format == "pdf" {
			kind = "application/pdf"
		}
		return send(w, kind, name, b, err)
	}
}

// Settlement is the half-year settlement with a municipality as PDF or
// XLSX, made from the stored statement with the names the reader may see.
func (f Files) Settlement(format string) Handler {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		half, err := billing.HalfYearField("half_year", r.PathValue("half_year"), billing.HalfYear{})
		if err != nil {
			return err
		}
		v, err := f.DB.SettlementForFile(r.Context(), a, r.PathValue("municipality"), half, format)
		if err != nil {
			return err
		}
		if format == "xlsx" {
			b, err := render.SettlementXLSX(v)
			return send(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render.SettlementFileName(v, "xlsx"), b, err)
		}
		// The PDF carries the moment it was drawn up, so a second download
		// is the same document.
		at := f.DB.Now()
		if v.DrawnUpAt != nil {
			at = *v.DrawnUpAt
		}
		b, err := render.SettlementPDF(v, at)
		return send(w, "application/pdf", render.SettlementFileName(v, "pdf"), b, err)
	}
}

// MonthlyReport sends a municipality's monthly management report, read by
// the caller, as PDF or XLSX in the caller's language [003 art 5 lid 10].
func (f Files) MonthlyReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor, rep *mgmtreport.Monthly, format string) error {
	provider, _, err := f.DB.ReportChoices(r.Context(), a)
	if err != nil {
		return err
	}
	var b []byte
	if format == "pdf" {
		b, err = render.MonthlyReportPDF(rep, provider, httpx.Lang(r), f.DB.Now())
	} else {
		b, err = render.MonthlyReportXLSX(rep, httpx.Lang(r))
	}
	return send(w, render.ContentType(format), render.MonthlyFileName(rep, format), b, err)
}

// QuarterlyReport sends a municipality's quarterly progress report as PDF
// [003 art 5 lid 11].
func (f Files) QuarterlyReport(w http.ResponseWriter, r *http.Request, a *opstap.Actor, rep *mgmtreport.Quarterly) error {
	provider, _, err := f.DB.ReportChoices(r.Context(), a)
	if err != nil {
		return err
	}
	b, err := render.QuarterlyReportPDF(rep, provider, httpx.Lang(r), f.DB.Now())
	return send(w, render.ContentType("pdf"), render.QuarterlyFileName(rep, "pdf"), b, err)
}

// FigurePlacements sends the pseudonymous rows behind the placement figures
// as CSV or XLSX (issue 10 item 8).
func FigurePlacements(w http.ResponseWriter, r *http.Request, fp *store.FigurePlacements, format string) error {
	var b []byte
	var err error
	if format == "csv" {
		b, err = render.PlacementsCSV(fp)
	} else {
		b, err = render.PlacementsXLSX(fp, httpx.Lang(r))
	}
	return send(w, render.FigureContentType(format), render.PlacementsFileName(fp, format), b, err)
}

// send writes a made file as a download, or returns the error that kept it
// from being made: nothing is written then, so the face's adapter still
// answers with its own error.
func send(w http.ResponseWriter, contentType, name string, b []byte, err error) error {
	if err != nil {
		return err
	}
	render.WriteFile(w, contentType, name, b)
	return nil
}
