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
		// Disclosures: pages.
		"Disclosures required by law": "Wettelijk verplichte verstrekkingen",
		"Disclosure required by law":  "Wettelijk verplichte verstrekking",
		"When the law obliges the provider to hand over a candidate's data (for example to UWV or the municipality's enforcement), the requester's identity and the legal basis are verified first, the commissioner is informed beforehand unless the law forbids it, and the disclosure is recorded here. The candidate sees it in the portal unless a legal reason stands in the way.": "Als de wet de aanbieder verplicht gegevens van een kandidaat te verstrekken (bijvoorbeeld aan UWV of de handhaving van de gemeente), worden eerst de identiteit van de verzoeker en de grondslag geverifieerd, wordt de opdrachtgever vooraf geïnformeerd tenzij de wet dat verbiedt, en wordt de verstrekking hier vastgelegd. De kandidaat ziet haar in het portaal, tenzij een wettelijke reden zich daartegen verzet.",
		"Sometimes the law obliges us to hand over your data, for example to UWV or your municipality. We then check who asks and on which legal basis, and record it here.":                                                                                                                                                                                                              "Soms verplicht de wet ons uw gegevens te verstrekken, bijvoorbeeld aan UWV of uw gemeente. We controleren dan wie erom vraagt en op welke wettelijke grondslag, en leggen dat hier vast.",
		"None of your data was disclosed on a legal obligation.": "Er zijn geen gegevens van u verstrekt op grond van een wettelijke verplichting.",
		"Back to the register":                                "Terug naar het register",
		"Candidate informed":                                  "Kandidaat geïnformeerd",
		"Candidate informed on":                               "Kandidaat geïnformeerd op",
		"Categories of data disclosed":                        "Verstrekte soorten gegevens",
		"Commissioner informed on (before the disclosure)":    "Opdrachtgever geïnformeerd op (vóór de verstrekking)",
		"Contact person and reference":                        "Contactpersoon en kenmerk",
		"Disclosed on":                                        "Verstrekt op",
		"Disclosure recorded.":                                "Verstrekking vastgelegd.",
		"Ground (AVG article 6(1))":                           "Grondslag (AVG artikel 6 lid 1)",
		"How the requester and the legal basis were verified": "Hoe de verzoeker en de grondslag zijn geverifieerd",
		"Inform the candidate":                                "Kandidaat informeren",
		"Legal basis":                                         "Wettelijke grondslag",
		"Legal basis (statutory provision)":                   "Wettelijke grondslag (wetsartikel)",
		"No disclosures recorded.":                            "Geen verstrekkingen vastgelegd.",
		"Or: the legal reason not to inform the candidate (hides it from the portal)": "Of: de wettelijke reden om de kandidaat niet te informeren (verbergt haar in het portaal)",
		"Or: the legal reason the commissioner was not informed":                      "Of: de wettelijke reden waarom de opdrachtgever niet is geïnformeerd",
		"Record a disclosure": "Verstrekking vastleggen",
		"Record as informed":  "Vastleggen als geïnformeerd",
		"Record disclosure":   "Verstrekking vastleggen",
		"Recorded":            "Vastgelegd",
		"Recorded that the candidate was informed.": "Vastgelegd dat de kandidaat is geïnformeerd.",
		"Requester":                                     "Verzoeker",
		"Requester (organisation)":                      "Verzoeker (organisatie)",
		"Search for the candidate first.":               "Zoek eerst de kandidaat.",
		"Verification":                                  "Verificatie",
		"What exactly was disclosed":                    "Wat precies is verstrekt",
		"choose the candidate the disclosure was about": "kies de kandidaat over wie de verstrekking ging",
		"erased":                      "gewist",
		"withheld for a legal reason": "niet gemeld om een wettelijke reden",
		"avg-ground:c":                "c — wettelijke verplichting",
		"avg-ground:e":                "e — taak van algemeen belang",
	})
	for k, v := range map[string]string{"avg-ground:c": "c — legal obligation", "avg-ground:e": "e — task in the public interest"} {
		en[k] = v
	}
}
