package i18n

// Privacy duties of issue 8: the hand-over's records [003 art 7.5 lid 2],
// the register of disclosures required by law [000 art 6; 003 bewerkers
// art 4.2], the agreements at the start of a trajectory [000, 004], the
// processor duties [003 bewerkers art 3] and rights requests carried out
// by the system.
func init() {
	Add(map[string]string{
		// Hand-over import.
		"a trajectory in the file has an unknown kind or status":             "een traject in het bestand heeft een onbekende soort of status",
		"a candidate in the file has more than one open trajectory":          "een kandidaat in het bestand heeft meer dan één lopend traject",
		"a report in the file has an unknown kind or status, or no versions": "een rapportage in het bestand heeft een onbekende soort of status, of geen versies",
		"a report in the file repeats a version":                             "een rapportage in het bestand herhaalt een versie",
		"a document in the file has an unknown kind":                         "een document in het bestand heeft een onbekende soort",

		// Disclosures: validation.
		"name the organisation that asked":                                        "noem de organisatie die om de gegevens vroeg",
		"name the statutory provision that obliges the disclosure":                "noem het wetsartikel dat tot de verstrekking verplicht",
		"a disclosure required by law rests on AVG article 6(1)(c) or (e)":        "een wettelijk verplichte verstrekking berust op AVG artikel 6 lid 1 onder c of e",
		"say how the requester and the legal basis were verified":                 "vermeld hoe de identiteit van de verzoeker en de grondslag zijn geverifieerd",
		"choose the categories of data disclosed":                                 "kies de soorten gegevens die zijn verstrekt",
		"when was the data disclosed?":                                            "wanneer zijn de gegevens verstrekt?",
		"record a disclosure once it took place":                                  "leg een verstrekking vast nadat die heeft plaatsgevonden",
		"give the day the commissioner was informed, or the legal reason why not": "vul de dag in waarop de opdrachtgever is geïnformeerd, of de wettelijke reden waarom niet",
		"the commissioner is informed before the disclosure":                      "de opdrachtgever wordt vóór de verstrekking geïnformeerd",
		"either the candidate was informed or there is a legal reason not to":     "de kandidaat is geïnformeerd óf er is een wettelijke reden om dat niet te doen, niet allebei",
		"no such disclosure":                                                      "deze verstrekking bestaat niet",
	})
}
