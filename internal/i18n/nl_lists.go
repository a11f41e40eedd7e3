package i18n

// Dutch texts of paging, ordering and filtering lists (issue 12 item 12).
func init() {
	Add(map[string]string{
		"All commissioners":         "Alle opdrachtgevers",
		"Order":                     "Volgorde",
		"Newest registration first": "Nieuwste aanmelding eerst",
		"Oldest registration first": "Oudste aanmelding eerst",
		"By reference":              "Op referentie",
		"Pages of the list":         "Pagina's van de lijst",
		"Previous page":             "Vorige pagina",
		"Page %d":                   "Pagina %d",
		"Next page":                 "Volgende pagina",
		"unknown order":             "onbekende volgorde",
		"not a page number":         "geen paginanummer",
		"You are here":              "U bent hier",
	})
}
