package i18n

func init() {
	Add(map[string]string{
		"a VAT rate lies between 0 and 100 %":                                "een btw-tarief ligt tussen 0 en 100 %",
		"a number between 0 and 1000":                                        "een aantal tussen 0 en 1000",
		"a rate per kilometre only goes with the kilometre rule":             "een tarief per kilometer hoort alleen bij de kilometerregeling",
		"a term lies between 0 and 365 days":                                 "een termijn ligt tussen 0 en 365 dagen",
		"a tier's percentage lies between 0 and 100":                         "het percentage van een staffel ligt tussen 0 en 100",
		"a tier's upper bound is at most 100.000.000 euros":                  "de bovengrens van een staffel is ten hoogste 100.000.000 euro",
		"choose kilometres or public-transport receipts":                     "kies kilometers of ov-bonnen",
		"each tier's upper bound lies above the previous one":                "de bovengrens van elke staffel ligt boven die van de vorige",
		"name the source of the amount":                                      "vermeld de bron van het bedrag",
		"no maximum premium is set for %d":                                   "er is geen maximale premie vastgelegd voor %d",
		"only the municipality sets the hourly rate":                         "alleen de gemeente stelt het uurtarief vast",
		"not a half year":                                                    "geen halfjaar",
		"the amount must lie between 0,01 and 100.000 euros":                 "het bedrag ligt tussen 0,01 en 100.000 euro",
		"the amount must lie between 0 and 100.000 euros":                    "het bedrag ligt tussen 0 en 100.000 euro",
		"the birth date is needed to decide on the premium":                  "de geboortedatum is nodig om over de premie te beslissen",
		"the date from which the terms apply is required":                    "de datum waarop de voorwaarden ingaan is verplicht",
		"the end of the agreement lies after its start":                      "het einde van de overeenkomst ligt na het begin",
		"the fee needs at least one tier":                                    "de vergoeding heeft ten minste één staffel nodig",
		"the last tier has no upper bound":                                   "de laatste staffel heeft geen bovengrens",
		"the maximum must be more than zero":                                 "het maximum moet meer dan nul zijn",
		"the start of the agreement is required":                             "het begin van de overeenkomst is verplicht",
		"the terms cannot change in a closed period: choose a date after %s": "de voorwaarden kunnen niet wijzigen in een afgesloten periode: kies een datum na %s",
		"the year must lie between 2000 and 2200":                            "het jaar ligt tussen 2000 en 2200",
	})
}
