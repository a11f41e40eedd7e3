package i18n

func init() {
	Add(map[string]string{
		"Your work":       "Uw werk",
		"needs attention": "vraagt aandacht",
		"My candidates":   "Mijn kandidaten",
		"Reports awaiting the candidate's approval": "Rapportages die op akkoord van de kandidaat wachten",
		"Candidates of your organisation":           "Kandidaten van uw organisatie",
		"Open assignments":                          "Open opdrachten",
		"Placements waiting for your confirmation":  "Plaatsingen die op uw bevestiging wachten",
		"Open complaints":                           "Open klachten",
		"Complaints past a deadline":                "Klachten over een termijn heen",
		"Open privacy requests":                     "Open privacyverzoeken",
		"Privacy requests past their deadline":      "Privacyverzoeken over de termijn heen",
		"Open breaches":                             "Open datalekken",
		"Proposals waiting for your answer":         "Voorstellen die op uw antwoord wachten",
		"Running placements":                        "Lopende plaatsingen",
		"Reports waiting for your approval":         "Rapportages die op uw akkoord wachten",
		"Unread messages":                           "Ongelezen berichten",
		"Rights due for review":                     "Rechten die beoordeeld moeten worden",
	})
}
