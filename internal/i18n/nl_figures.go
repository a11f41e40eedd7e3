package i18n

// Dutch texts of the municipality's figures (issue 10).
func init() {
	Add(map[string]string{
		"Figures":                        "Cijfers",
		"Figures of the flex instrument": "Cijfers van het flexinstrument",
		"%d of %d (%d%%)":                "%d van de %d (%d%%)",
		"%d of %d":                       "%d van de %d",
		"%s per month; the table beside the chart gives the values.": "%s per maand; de tabel naast de grafiek geeft de waarden.",
		"%s, %s to %s":               "%s, %s tot en met %s",
		"Average duration in months": "Gemiddelde duur in maanden",
		"Average hours per month":    "Gemiddeld aantal uren per maand",
		"Figure":                     "Cijfer",
		"Figures of the period (definitions version %s)": "Cijfers over de periode (definities versie %s)",
		"Matchable on the last day":                      "Matchbaar op de laatste dag",
		"More than 1 year on benefit":                    "Langer dan 1 jaar een uitkering",
		"More than 3 years on benefit":                   "Langer dan 3 jaar een uitkering",
		"More than 1 year on benefit (%)":                "Langer dan 1 jaar een uitkering (%)",
		"More than 3 years on benefit (%)":               "Langer dan 3 jaar een uitkering (%)",
		"Per month":                                      "Per maand",
		"Placement figures count the placements whose first day lies in the period; a placement still running counts up to the period's last day.": "De cijfers over plaatsingen tellen de plaatsingen waarvan de eerste dag in de periode ligt; een plaatsing die nog loopt telt tot en met de laatste dag van de periode.",
		"Placements above 24 hours a week":                      "Plaatsingen boven 24 uur per week",
		"Placements longer than 3 months":                       "Plaatsingen langer dan 3 maanden",
		"Placements longer than 6 months":                       "Plaatsingen langer dan 6 maanden",
		"Registrations":                                         "Aanmeldingen",
		"Show the figures":                                      "Toon de cijfers",
		"There is no municipality whose figures you may see.":   "Er is geen gemeente waarvan u de cijfers mag zien.",
		"Unique placed candidates":                              "Unieke geplaatste kandidaten",
		"Value":                                                 "Waarde",
		"the period's first day is required":                    "de eerste dag van de periode is verplicht",
		"the period's last day is required":                     "de laatste dag van de periode is verplicht",
		"the period's last day lies before its first day":       "de laatste dag van de periode ligt voor de eerste dag",
		"a period lasts at most %d months":                      "een periode duurt hoogstens %d maanden",
		"you may only see the figures of your own municipality": "u mag alleen de cijfers van uw eigen gemeente zien",
	})
}
