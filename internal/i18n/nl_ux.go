package i18n

// Texts of issue 12: the ways between pages, error summaries and forms.
func init() {
	Add(map[string]string{
		"unknown placement status": "onbekende status van een plaatsing",
		"Placements and proposals": "Plaatsingen en voorstellen",
		"The placements on your municipality's assignments. Open one to confirm it, change its hours or record its end.": "De plaatsingen op de opdrachten van uw gemeente. Open er een om haar te bevestigen, de uren te wijzigen of het einde vast te leggen.",
		"All statuses": "Alle statussen",
		// What happened, in the app (issue 12 item 13).
		"A candidate has answered a report in Opstap.":                 "Een kandidaat heeft gereageerd op een rapportage in Opstap.",
		"A report was approved by the candidate.":                      "Rapportage goedgekeurd door de kandidaat.",
		"The candidate commented on a report instead of approving it.": "De kandidaat heeft commentaar gegeven op een rapportage in plaats van die goed te keuren.",
		"A placement was proposed.":                                    "Er is een plaatsing voorgesteld.",
		"A placement was accepted.":                                    "Een plaatsing is geaccepteerd.",
		"A placement was declined.":                                    "Een plaatsing is afgewezen.",
		"A placement was confirmed by the municipality.":               "Een plaatsing is bevestigd door de gemeente.",
		"Hours were entered and await your approval.":                  "Er zijn uren ingevoerd die op uw goedkeuring wachten.",
		"Your hours were approved.":                                    "Uw uren zijn goedgekeurd.",
		"Some of your hours were rejected.":                            "Een deel van uw uren is afgekeurd.",
		"Your complaint was received.":                                 "Uw klacht is ontvangen.",
		"Your complaint was dealt with further.":                       "Er is een volgende stap gezet in de behandeling van uw klacht.",
		"The deadline for answering your request was extended.":        "De termijn voor het antwoord op uw verzoek is verlengd.",
		"Your request was answered.":                                   "Uw verzoek is beantwoord.",
		// Client numbers (issue 12 items 7 and 9).
		"Candidate (client number or id)":                      "Kandidaat (cliëntnummer of id)",
		"not an entry number":                                  "geen volgnummer van een regel",
		"Client number":                                        "Cliëntnummer",
		"Search by name, e-mail address, BSN or client number": "Zoeken op naam, e-mailadres, BSN of cliëntnummer",
		"client number %d":                                     "cliëntnummer %d",
		"enter a client number":                                "vul een cliëntnummer in",
		"no candidate has this client number":                  "geen kandidaat met dit cliëntnummer",
		"Placements of this assignment":                        "Plaatsingen van deze opdracht",
		// Refusals that left the catalogue test red on main.
		"notification kind %q is not in store.NoticeKinds":   "soort bericht %q staat niet in store.NoticeKinds",
		"notification event %q is not in store.NoticeEvents": "gebeurtenis %q staat niet in store.NoticeEvents",
	})
}
