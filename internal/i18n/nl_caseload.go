package i18n

// Dutch texts of the coach's caseload on the home page (issue 12 item 11).
func init() {
	Add(map[string]string{
		"Appointments this week":                 "Afspraken deze week",
		"absence reported":                       "afgemeld",
		"No appointments this week.":             "Geen afspraken deze week.",
		"My caseload":                            "Mijn caseload",
		"Next appointment":                       "Volgende afspraak",
		"Last contact":                           "Laatste contact",
		"no trajectory yet":                      "nog geen traject",
		"none planned":                           "geen gepland",
		"All my candidates":                      "Al mijn kandidaten",
		"No candidates are assigned to you yet.": "Er zijn nog geen kandidaten aan u toegewezen.",
	})
}
