package render

import (
	"fmt"
	"time"

	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/invoice"
)

// InvoiceFiles renders an invoice as it goes out: the PDF (PDF/A-1b, in
// Dutch, the receivers' language) and the SI-UBL 2.0 e-invoice that embeds
// it. store.IssueMonth and store.CreditInvoice keep both.
func InvoiceFiles(inv *invoice.Invoice) (pdf, xml []byte, err error) {
	if pdf, err = InvoicePDF(inv); err != nil {
		return nil, nil, err
	}
	xml, err = inv.XML(pdf)
	return pdf, xml, err
}

// InvoicePDF renders an invoice or credit note.
func InvoicePDF(inv *invoice.Invoice) ([]byte, error) {
	const lang = "nl"
	t := func(s string, args ...any) string { return i18n.T(lang, s, args...) }
	title := t("Invoice %s", inv.Number)
	if inv.Kind == invoice.CreditNote {
		title = t("Credit note %s", inv.Number)
	}
	party := func(p invoice.Party) string {
		id := "KvK " + p.LegalID
		if p.LegalScheme == "0190" {
			id = "OIN " + p.LegalID
		}
		s := fmt.Sprintf("%s, %s %s, %s %s, %s", p.Name, p.Street, p.HouseNumber, p.PostalCode, p.City, id)
		if p.VATNumber != "" {
			s += ", " + t("VAT number") + " " + p.VATNumber
		}
		return s
	}
	fields := []Field{
		{t("From"), party(inv.Seller)},
		{t("Addressed to"), party(inv.Buyer)},
		{t("Invoice date"), inv.IssueDate.Dutch()},
		{t("Period"), invoice.MonthName(inv.Month)},
	}
	if inv.Buyer.BuyerReference != "" {
		fields = append(fields, Field{t("Your reference"), inv.Buyer.BuyerReference})
	}
	if inv.Kind == invoice.CreditNote {
		fields = append(fields, Field{t("Corrects invoice"), inv.Corrects})
	} else {
		fields = append(fields, Field{t("Due date"), inv.DueDate.Dutch()}, Field{"IBAN", inv.Seller.IBAN})
	}
	tab := &Table{Caption: t("Invoice lines"), Headers: []string{t("Description"), t("Quantity"), t("Price"), t("VAT"), t("Amount")}}
	for _, l := range inv.Lines {
		qty := fmt.Sprint(l.Quantity)
		price := l.UnitPrice.String()
		if l.Quantity == 0 {
			qty = t("%s hours", l.Minutes.String())
			price = t("%s per hour", l.UnitPrice.String())
		}
		tab.Rows = append(tab.Rows, []string{l.Description, qty, price, l.VAT.String(), l.Net.String()})
	}
	tab.Rows = append(tab.Rows, []string{t("Total excluding VAT"), "", "", "", inv.Totals.Net.String()})
	for _, g := range inv.Totals.ByRate {
		tab.Rows = append(tab.Rows, []string{t("VAT %s over %s", g.Rate.String(), g.Base.String()), "", "", "", g.VAT.String()})
	}
	tab.Rows = append(tab.Rows, []string{t("Total including VAT"), "", "", "", inv.Totals.Gross.String()})
	d := Document{
		Title: title, Author: inv.Seller.Name, Subject: title, Lang: lang,
		Created: inv.IssueDate.Time().Add(12 * time.Hour), Fields: fields, Table: tab,
		Body:   inv.Note,
		Footer: inv.Seller.Name + " · " + inv.PaymentTerms(),
	}
	return PDF(d)
}
