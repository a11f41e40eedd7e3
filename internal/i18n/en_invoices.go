package i18n

// English labels of invoices.
func init() {
	for k, v := range map[string]string{
		"invoice-kind:employer": "Employer invoice", "invoice-kind:municipality": "Municipality's monthly invoice", "invoice-kind:credit_note": "Credit note",
		"settlement-status:provisional": "provisional", "settlement-status:drawn_up": "drawn up",
		"invoice-status:open": "Open", "invoice-status:paid": "Paid", "invoice-status:credit": "Credit note", "invoice-status:credited": "Credited",
	} {
		en[k] = v
	}
}
