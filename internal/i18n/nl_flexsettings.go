package i18n

func init() {
	Add(map[string]string{
		"Flex settings": "Flexinstellingen",
		"The hourly rate is what employers are invoiced by default for new assignments [003 art 5 lid 8]. The weights decide how the matching engine ranks candidates; each proposal shows the score per criterion.": "Het uurtarief is wat werkgevers standaard gefactureerd krijgen voor nieuwe opdrachten [003 art 5 lid 8]. De gewichten bepalen hoe de matching kandidaten rangschikt; elk voorstel toont de score per criterium.",
		"Default hourly rate (euros)": "Standaard uurtarief (euro)",
		"Matching weights":            "Gewichten van de matching",
		"11,75":                       "11,75",
		"not an amount in euros":      "geen bedrag in euro's",
		"enter a number":              "vul een getal in",
		"weight:occupation":           "Beroep",
		"weight:skills":               "Vaardigheden",
		"weight:experience":           "Ervaring",
		"weight:distance":             "Afstand",
		"weight:time_on_benefit":      "Duur in de uitkering",
		"weight:preference":           "Voorkeur",
	})
	for k, v := range map[string]string{
		"weight:occupation":      "Occupation",
		"weight:skills":          "Skills",
		"weight:experience":      "Experience",
		"weight:distance":        "Distance",
		"weight:time_on_benefit": "Time on benefit",
		"weight:preference":      "Preference",
	} {
		en[k] = v
	}
}
