package i18n

// Dutch texts of paging, ordering and filtering lists (issue 12 item 12).
func init() {
	Add(map[string]string{
		"All commissioners":          "Alle opdrachtgevers",
		"Order":                      "Volgorde",
		"Newest registration first":  "Nieuwste aanmelding eerst",
		"Oldest registration first":  "Oudste aanmelding eerst",
		"By reference":               "Op referentie",
		"Pages of the list":          "Pagina's van de lijst",
		"Previous page":              "Vorige pagina",
		"Page %d":                    "Pagina %d",
		"Next page":                  "Volgende pagina",
		"unknown order":              "onbekende volgorde",
		"not a page number":          "geen paginanummer",
		"You are here":               "U bent hier",
		"the form could not be read": "het formulier kon niet worden gelezen",
		"the form holds a field name that is not valid text": "het formulier bevat een veldnaam die geen geldige tekst is",
		"the field %s is not valid UTF-8 text":               "het veld %s is geen geldige UTF-8-tekst",
		"the field %s contains a NUL character":              "het veld %s bevat een NUL-teken",
		"the field %s is longer than %d characters":          "het veld %s is langer dan %d tekens",
	})
}
