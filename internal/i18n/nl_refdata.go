package i18n

// Dutch for the reference data: import errors, search, the admin page.
func init() {
	Add(map[string]string{
		// Parsing the ESCO export.
		"the file is empty":             "het bestand is leeg",
		"the file holds no occupations": "het bestand bevat geen beroepen",
		"line 1: column %s is missing: is this the ESCO occupations export?": "regel 1: kolom %s ontbreekt: is dit de ESCO-export van beroepen?",
		"line %d: occupation %s appeared before, on line %d":                 "regel %d: beroep %s kwam al eerder voor, op regel %d",
		"line %d: the text is not UTF-8":                                     "regel %d: de tekst is geen UTF-8",
		"line %d: %q is not an ESCO occupation URI":                          "regel %d: %q is geen URI van een ESCO-beroep",
		"line %d: ISCO group %q is not a four-digit ISCO-08 unit group":      "regel %d: ISCO-groep %q is geen ISCO-08-beroepsgroep van vier cijfers",
		"line %d: ESCO code %q does not extend ISCO group %s":                "regel %d: ESCO-code %q hoort niet bij ISCO-groep %s",
		"line %d: the occupation has no preferred label":                     "regel %d: het beroep heeft geen voorkeursnaam",
		"line %d: not valid CSV: %s":                                         "regel %d: geen geldige CSV: %s",
		// Parsing the GeoNames file.
		"the file holds no postcodes":                                              "het bestand bevat geen postcodes",
		"line %d: cannot read the file: %s":                                        "regel %d: het bestand kan niet worden gelezen: %s",
		"line %d: expected %d tab-separated columns, found %d":                     "regel %d: %d kolommen gescheiden door tabs verwacht, %d gevonden",
		"line %d: country %q is not NL":                                            "regel %d: land %q is niet NL",
		"line %d: postcode %q is not four digits (use NL.txt, not NL_full.txt)":    "regel %d: postcode %q bestaat niet uit vier cijfers (gebruik NL.txt, niet NL_full.txt)",
		"line %d: the place name is missing":                                       "regel %d: de plaatsnaam ontbreekt",
		"line %d: CBS municipality code %q is not a number of at most four digits": "regel %d: CBS-gemeentecode %q is geen getal van hoogstens vier cijfers",
		"line %d: coordinate %q is not a number between -%g and %g":                "regel %d: coördinaat %q is geen getal tussen -%g en %g",
		// Store and API.
		"%s is missing from the new file but still in use": "%s ontbreekt in het nieuwe bestand maar is nog in gebruik",
		"type at least two letters":                        "typ minstens twee letters",
		"unknown occupation":                               "onbekend beroep",
		"not a Dutch four-digit postcode":                  "geen Nederlandse postcode van vier cijfers",
		"unknown postcode":                                 "onbekende postcode",
		"unknown municipality":                             "onbekende gemeente",
		"no organisation for this municipality":            "geen organisatie voor deze gemeente",
		"limit must be a positive whole number":            "limit moet een positief geheel getal zijn",
		// The admin page.
		"Reference data": "Referentiegegevens",
		"%d occupations imported: %d added, %d removed.": "%d beroepen ingelezen: %d toegevoegd, %d verwijderd.",
		"%d postcodes imported: %d added, %d removed.":   "%d postcodes ingelezen: %d toegevoegd, %d verwijderd.",
		"Occupations and postcodes are loaded from the files their publishers distribute. An import replaces the whole set, or changes nothing when the file has an error.": "Beroepen en postcodes worden ingelezen uit de bestanden die hun uitgevers verspreiden. Een import vervangt de hele verzameling, of verandert niets als het bestand een fout bevat.",
		"Where to download the files": "Waar u de bestanden downloadt",
		"Reference data in use":       "Referentiegegevens in gebruik",
		"Rows":                        "Rijen",
		"Occupations (ESCO)":          "Beroepen (ESCO)",
		"Postcodes (GeoNames)":        "Postcodes (GeoNames)",
		"Municipalities":              "Gemeenten",
		"Import ESCO occupations":     "ESCO-beroepen inlezen",
		"Import GeoNames postcodes":   "GeoNames-postcodes inlezen",
		"ESCO occupations CSV export with Dutch labels (occupations_nl.csv)": "CSV-export van ESCO-beroepen met Nederlandse namen (occupations_nl.csv)",
		"GeoNames postal-code file for the Netherlands (NL.txt)":             "GeoNames-postcodebestand voor Nederland (NL.txt)",
		"Import history":        "Geschiedenis van imports",
		"File":                  "Bestand",
		"Added":                 "Toegevoegd",
		"Removed":               "Verwijderd",
		"By":                    "Door",
		"Nothing imported yet.": "Nog niets ingelezen.",
	})
}
