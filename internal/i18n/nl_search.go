package i18n

// Dutch for searches over all candidates (issue 8 point 3).
func init() {
	Add(map[string]string{
		"searching all candidates needs a stated reason": "zoeken in alle kandidaten vraagt een opgegeven reden",
		"Search all candidates":                          "Zoeken in alle kandidaten",
		"Only your own candidates may be searched freely. State why you search among all candidates; your reason is logged and shown to the privacy officer.": "Alleen in uw eigen kandidaten mag u vrij zoeken. Geef aan waarom u in alle kandidaten zoekt; uw reden wordt vastgelegd en getoond aan de privacyfunctionaris.",
		"Reason for the search":               "Reden voor het zoeken",
		"Found in a search":                   "Gevonden bij het zoeken",
		"Found in a search of all candidates": "Gevonden bij zoeken in alle kandidaten",
		"File opened":                         "Dossier geopend",
	})
}
