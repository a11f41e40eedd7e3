package i18n

// Dutch texts of the history import (issue 10 item 3).
func init() {
	Add(map[string]string{
		"Import the municipality's history": "Geschiedenis van de gemeente inlezen",
		"Bring the municipality's past into its figures: registrations with the benefit start, changes of the matchable status, placements, approved hours per month and trajectory ends. Candidates and placements are named only by the municipality's own reference: the file holds no personal data.": "Breng het verleden van de gemeente in haar cijfers: aanmeldingen met de start van de uitkering, wijzigingen van de matchbaarheid, plaatsingen, goedgekeurde uren per maand en beëindigde trajecten. Kandidaten en plaatsingen staan er alleen onder het eigen kenmerk van de gemeente in: het bestand bevat geen persoonsgegevens.",
		"A file is imported as a whole or not at all. It replaces every earlier imported fact of the candidates and placements it names, so importing the same file twice counts once and a corrected file corrects.":                                                                                     "Een bestand wordt in zijn geheel ingelezen of helemaal niet. Het vervangt alle eerder ingelezen gegevens van de kandidaten en plaatsingen die erin staan: hetzelfde bestand twee keer inlezen telt één keer, en een verbeterd bestand verbetert.",
		"Import":                                   "Inlezen",
		"Imported for %s":                          "Ingelezen voor %s",
		"Of whom replaced an earlier import":       "Van wie een eerdere inlezing vervangen",
		"Changes of the matchable status":          "Wijzigingen van de matchbaarheid",
		"Months of approved hours":                 "Maanden met goedgekeurde uren",
		"Trajectory ends":                          "Beëindigde trajecten",
		"Errors in the file: nothing was imported": "Fouten in het bestand: er is niets ingelezen",
		"History imported: %d candidates, of whom %d replaced an earlier import.":                       "Geschiedenis ingelezen: %d kandidaten, van wie %d een eerdere inlezing vervangen.",
		"the history has errors; nothing was imported":                                                  "de geschiedenis bevat fouten; er is niets ingelezen",
		"the history has no records":                                                                    "de geschiedenis bevat geen regels",
		"write ja or nee":                                                                               "schrijf ja of nee",
		"not a valid month (use mm-jjjj or jjjj-mm)":                                                    "geen geldige maand (gebruik mm-jjjj of jjjj-mm)",
		"unknown kind; use registration, matchable, placement, hours or end":                            "onbekende soort; gebruik registration, matchable, placement, hours of end",
		"required in a %s row":                                                                          "verplicht in een regel van de soort %s",
		"not used in a %s row; leave it empty":                                                          "hoort niet bij een regel van de soort %s; laat het leeg",
		"the candidate's registration repeats row %d":                                                   "de aanmelding van deze kandidaat staat al in regel %d",
		"the placement repeats row %d":                                                                  "deze plaatsing staat al in regel %d",
		"unknown placement; its placement row must be in the same file":                                 "onbekende plaatsing; de regel van de plaatsing moet in hetzelfde bestand staan",
		"the month lies outside the placement's days (row %d)":                                          "de maand ligt buiten de dagen van de plaatsing (regel %d)",
		"the placement's hours of this month repeat row %d":                                             "de uren van deze plaatsing in deze maand staan al in regel %d",
		"a reference is 1 to 64 letters, digits and . _ / -":                                            "een kenmerk bestaat uit 1 tot 64 letters, cijfers en . _ / -",
		"this looks like a citizen service number (BSN); use the municipality's pseudonymous reference": "dit lijkt een burgerservicenummer (BSN); gebruik het pseudonieme kenmerk van de gemeente",
		"the history cannot lie in the future":                                                          "de geschiedenis kan niet in de toekomst liggen",
		"the last day lies before the first day":                                                        "de laatste dag ligt voor de eerste dag",
		"unknown outcome; use completed, ended_early or outflow_regular_work":                           "onbekende afloop; gebruik completed, ended_early of outflow_regular_work",
		"not a number of hours (use 80, 80,5 or 80:30)":                                                 "geen aantal uren (gebruik 80, 80,5 of 80:30)",
		"approved hours of a month lie between 0 and 744":                                               "de goedgekeurde uren van een maand liggen tussen 0 en 744",
		"send the history as text/csv or application/json":                                              "stuur de geschiedenis als text/csv of application/json",
	})
}
