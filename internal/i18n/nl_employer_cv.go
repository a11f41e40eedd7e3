package i18n

func init() {
	Add(map[string]string{
		"CV": "Cv",
		"CV of %s (only when the candidate agreed)":                                          "Cv van %s (alleen als de kandidaat instemde)",
		"The candidate agreed to share a CV with employers. Use it only for this placement.": "De kandidaat stemde in met het delen van een cv met werkgevers. Gebruik het alleen voor deze plaatsing.",
		"No CV is on file.":      "Er is geen cv.",
		"Back to the placements": "Terug naar de plaatsingen",
		"the candidate has not agreed to share a CV with employers":  "de kandidaat heeft niet ingestemd met het delen van een cv met werkgevers",
		"no live placement of this candidate with your organisation": "deze kandidaat heeft geen lopende plaatsing bij uw organisatie",
		"only a client employer reads CVs of its placed candidates":  "alleen een inlenende werkgever leest cv's van de kandidaten die bij hem geplaatst zijn",
	})
}
