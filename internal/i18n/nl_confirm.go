package i18n

// Dutch texts of the confirmation before an irreversible act (issue 12 item 8).
func init() {
	Add(map[string]string{
		"This cannot be undone.":  "Dit kan niet ongedaan worden gemaakt.",
		"End the trajectory":      "Traject beëindigen",
		"Yes, end the trajectory": "Ja, beëindig het traject",
		"Yes, erase now":          "Ja, nu vernietigen",
		"Decline the proposal":    "Voorstel afwijzen",
		"Yes, decline":            "Ja, afwijzen",
		"Yes, withdraw":           "Ja, intrekken",
		"End the placement early": "Plaatsing voortijdig beëindigen",
		"Yes, end the placement":  "Ja, beëindig de plaatsing",
		"The trajectory ends for good, with the reason you chose: no appointments or reports can be added to it, and the commissioner sees the end and its reason.":               "Het traject eindigt definitief, met de reden die u koos: er kunnen geen afspraken of rapportages meer bij, en de opdrachtgever ziet het einde en de reden.",
		"Every candidate whose retention period has passed is erased now: their data keys are destroyed, and their data can never be read again. The dry run shows who they are.": "Elke kandidaat van wie de bewaartermijn voorbij is, wordt nu vernietigd: de sleutels van hun gegevens worden vernietigd en hun gegevens zijn nooit meer te lezen. De proefrun laat zien om wie het gaat.",
		"You decline this proposal: the placement does not go ahead, and the others involved are told. Only a new proposal can bring it back.":                                    "U wijst dit voorstel af: de plaatsing gaat niet door en de andere betrokkenen krijgen bericht. Alleen een nieuw voorstel kan haar terugbrengen.",
		"The proposal is withdrawn: the candidate and the employer are told, and their answers no longer count.":                                                                  "Het voorstel wordt ingetrokken: de kandidaat en de werkgever krijgen bericht en hun antwoorden tellen niet meer.",
		"The placement ends on the day you gave: no hours can be entered after that day, and the end counts in the figures.":                                                      "De plaatsing eindigt op de dag die u opgaf: na die dag kunnen geen uren meer worden ingevoerd, en het einde telt mee in de cijfers.",
	})
}
