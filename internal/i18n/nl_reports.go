package i18n

// Dutch texts of consents, reports and sharing.
func init() {
	Add(map[string]string{
		// Errors of the store.
		"an action plan needs at least one activity":                "een plan van aanpak heeft minstens één activiteit nodig",
		"choose the legal ground":                                   "kies de wettelijke grondslag",
		"every line of the plan names its activity":                 "elke regel van het plan noemt een activiteit",
		"explain why this legal ground applies":                     "licht toe waarom deze grondslag van toepassing is",
		"in the portal you record your own consent":                 "in het portaal legt u uw eigen toestemming vast",
		"medical information never goes to an employer":             "medische informatie gaat nooit naar een werkgever",
		"no such document":                                          "dit document bestaat niet",
		"no such report":                                            "deze rapportage bestaat niet",
		"no such version":                                           "deze versie bestaat niet",
		"only a draft can be submitted for approval":                "alleen een concept kan ter goedkeuring worden voorgelegd",
		"only an action plan has activities":                        "alleen een plan van aanpak heeft activiteiten",
		"only the candidate can approve or comment on their report": "alleen de kandidaat kan de eigen rapportage goedkeuren of van commentaar voorzien",
		"required":                               "verplicht",
		"staff record a paper or verbal consent": "medewerkers leggen een schriftelijke (papieren) of mondelinge toestemming vast",
		"the candidate has not approved this version: submit it for approval or record another legal ground": "de kandidaat heeft deze versie niet goedgekeurd: leg haar ter goedkeuring voor of leg een andere grondslag vast",
		"the candidate has withdrawn consent to sharing this":                                                "de kandidaat heeft de toestemming om dit te delen ingetrokken",
		"the text is too long": "de tekst is te lang",
		"this report holds health data: the candidate's written consent to share it is needed": "deze rapportage bevat gezondheidsgegevens: daarvoor is schriftelijke toestemming van de kandidaat nodig",
		"this version is not awaiting your approval":                                           "deze versie wacht niet op uw goedkeuring",
		"this version is outdated: a newer version %d exists; read and approve that one":       "deze versie is verouderd: er is een nieuwere versie %d; lees en keur die goed",
		"unknown consent topic":                  "onbekend onderwerp van toestemming",
		"unknown report kind":                    "onbekende soort rapportage",
		"you have already approved this version": "u heeft deze versie al goedgekeurd",
		"you have already commented on this version; wait for the new version": "u heeft al commentaar gegeven op deze versie; wacht op de nieuwe versie",
		"you see only the documents shared with your organisation":             "u ziet alleen de documenten die met uw organisatie zijn gedeeld",

		// The PDF of a shared report.
		"report-kind:action_plan":      "Plan van aanpak",
		"report-kind:extensive_report": "Uitgebreide rapportage",
		"report-kind:brief_update":     "Beknopte voortgangsinformatie",
		"Candidate":                    "Kandidaat",
		"Kind":                         "Soort",
		"Version":                      "Versie",
		"Commissioner":                 "Opdrachtgever",
		"Shared on":                    "Gedeeld op",
		"Legal ground":                 "Grondslag",
		"AVG article %s":               "AVG artikel %s",
		"Approved by the candidate":    "Goedgekeurd door de kandidaat",
		"%s · confidential · %s":       "%s · vertrouwelijk · %s",
		"Activities":                   "Activiteiten",
		"Activity":                     "Activiteit",
		"Product":                      "Product",
		"Planned result":               "Beoogd resultaat",
		"Achieved result":              "Behaald resultaat",

		// Default purposes of consents.
		"Sending your action plan to your commissioner, after you approved it.":    "Uw plan van aanpak naar uw opdrachtgever sturen, nadat u het heeft goedgekeurd.",
		"Sending reports about your trajectory to your commissioner.":              "Rapportages over uw traject naar uw opdrachtgever sturen.",
		"Including information about your health in reports to your commissioner.": "Informatie over uw gezondheid opnemen in rapportages aan uw opdrachtgever.",
		"Sending your CV or profile to employers for a job or placement.":          "Uw cv of profiel naar werkgevers sturen voor een baan of plaatsing.",
		"Using your data for commercial or charitable purposes.":                   "Uw gegevens gebruiken voor commerciële of charitatieve doeleinden.",
		"Sending you newsletters and mailings.":                                    "U nieuwsbrieven en mailings sturen.",
	})
}
