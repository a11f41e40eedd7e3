package i18n

// Dutch for the manifest of an access export (issue 8 point 1).
func init() {
	Add(map[string]string{
		"What the export holds": "Wat de export bevat",
		"The export is for the candidate, who downloads it in the portal once the request is granted. You see what it holds, not its content.": "De export is voor de kandidaat, die hem in het portaal downloadt zodra het verzoek is toegewezen. U ziet wat hij bevat, niet de inhoud.",
		"Parts of the export":                 "Onderdelen van de export",
		"Part":                                "Onderdeel",
		"Number":                              "Aantal",
		"Back to the request":                 "Terug naar het verzoek",
		"Shared limitations":                  "Gedeelde beperkingen",
		"Earlier versions of dossier entries": "Eerdere versies van dossieraantekeningen",
		"Reports shared":                      "Gedeelde rapportages",
		"Openings with a stated reason":       "Openingen met opgegeven reden",
		"Access log entries":                  "Regels in het toegangslogboek",
		"Hours worked":                        "Gewerkte uren",
		"take on the request first to see what its export holds":                                                  "neem het verzoek eerst in behandeling om te zien wat de export bevat",
		"only the candidate downloads the export of their access request; the privacy officer sees what it holds": "alleen de kandidaat downloadt de export van het inzageverzoek; de privacyfunctionaris ziet wat die bevat",
	})
}
