package i18n

// Dutch for the matching engine's weight validation (internal/matching).
func init() {
	Add(map[string]string{
		"a weight must be a number":              "een gewicht moet een getal zijn",
		"a weight cannot be negative":            "een gewicht kan niet negatief zijn",
		"at least one weight must be above zero": "minstens één gewicht moet boven nul liggen",
	})
}

// Explanations of the matching engine, looked up by their format.
func init() {
	Add(map[string]string{
		"%.0f months on benefit (full at %d)":                     "%.0f maanden in de uitkering (vol bij %d)",
		"%.1f km of max %d":                                       "%.1f km van max. %d",
		"%.1f km, max travel %d km":                               "%.1f km, maximale reisafstand %d km",
		"%d hours a week available, %d needed":                    "%d uur per week beschikbaar, %d nodig",
		"%d hours placed in the period + %d = %d of %d available": "%d uur geplaatst in de periode + %d = %d van %d beschikbaar",
		"%d months in related occupations (full at %d)":           "%d maanden in verwante beroepen (vol bij %d)",
		"%d of %d required and %d of %d wished skills":            "%d van %d vereiste en %d van %d gewenste vaardigheden",
		"a driving licence is needed and the candidate has none":  "een rijbewijs is nodig en de kandidaat heeft er geen",
		"already placed on some of the same days in the period":   "al geplaatst op enkele van dezelfde dagen in de periode",
		"available from %s, the assignment starts %s":             "beschikbaar vanaf %s, de opdracht begint %s",
		"available on %d of the assignment's %d days":             "beschikbaar op %d van de %d dagen van de opdracht",
		"candidate's municipality %s, assignment's %s":            "gemeente van de kandidaat %s, van de opdracht %s",
		"driving licence: needed %s, has one %s":                  "rijbewijs: nodig %s, aanwezig %s",
		"limitation %v conflicts with the demand %v":              "beperking %v botst met de eis %v",
		"matchable":                                   "bemiddelbaar",
		"no benefit start recorded":                   "geen ingangsdatum van de uitkering bekend",
		"no limitation conflicts with the work":       "geen beperking botst met het werk",
		"no placement on the same days in the period": "geen plaatsing op dezelfde dagen in de periode",
		"no preference stated":                        "geen voorkeur opgegeven",
		"no related occupation":                       "geen verwant beroep",
		"not matchable":                               "niet bemiddelbaar",
		"not visible to employers: the candidate and the coach must both agree": "niet zichtbaar voor werkgevers: kandidaat en coach moeten allebei instemmen",
		"own transport is needed and the candidate has none":                    "eigen vervoer is nodig en de kandidaat heeft het niet",
		"own transport: needed %s, has it %s":                                   "eigen vervoer: nodig %s, aanwezig %s",
		"prefers other occupation groups":                                       "heeft voorkeur voor andere beroepsgroepen",
		"prefers this occupation group":                                         "heeft voorkeur voor deze beroepsgroep",
		"the same ESCO occupation":                                              "hetzelfde ESCO-beroep",
		"the same ISCO minor group (%03d)":                                      "dezelfde ISCO-subgroep (%03d)",
		"the same ISCO sub-major group (%02d)":                                  "dezelfde ISCO-hoofdsubgroep (%02d)",
		"the same ISCO unit group (%04d)":                                       "dezelfde ISCO-beroepsgroep (%04d)",
		"visible to employers: candidate and coach agreed":                      "zichtbaar voor werkgevers: kandidaat en coach stemden in",
	})
}
