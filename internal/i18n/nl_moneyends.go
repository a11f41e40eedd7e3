package i18n

// Dutch texts of issue 9's loose ends: the month overview in pages, the
// billing details page, reopened months with invoices.
func init() {
	Add(map[string]string{
		"Pages": "Pagina's",
		"Placements %d to %d of %d; the total is of all of them.": "Plaatsingen %d tot en met %d van %d; het totaal is van allemaal.",
		"Previous placements":    "Vorige plaatsingen",
		"Next placements":        "Volgende plaatsingen",
		"page must be 0 or more": "pagina moet 0 of meer zijn",
	})
}
