package i18n

// Dutch for the privacy fixes of issue 8: what the employer sees, written
// consent, the statutory retention period and erasure on disk.
func init() {
	Add(map[string]string{
		"a signed form goes with a paper consent": "een ondertekend formulier hoort bij een toestemming op papier",
		"this consent counts only in writing: the candidate's own action in the portal or an uploaded signed form":                                       "deze toestemming telt alleen schriftelijk: door de kandidaat zelf in het portaal of met een geüpload ondertekend formulier",
		"upload the signed consent form to the dossier and choose it":                                                                                    "upload het ondertekende toestemmingsformulier in het dossier en kies het",
		"choose a signed agreement uploaded to this candidate's dossier":                                                                                 "kies een ondertekende overeenkomst uit het dossier van deze kandidaat",
		"Signed form (for a paper consent)":                                                                                                              "Ondertekend formulier (bij toestemming op papier)",
		"Consent to commercial use or to sharing health data counts only in writing: upload the signed form to the dossier as a signed agreement first.": "Toestemming voor commercieel gebruik of voor het delen van gezondheidsgegevens telt alleen schriftelijk: upload eerst het ondertekende formulier in het dossier als ondertekende overeenkomst.",
		"Contact for the work": "Contact voor het werk",
		"An employer sees only what the placement needs: the name, how to reach the candidate about the work, and on the placement the hours, the days and the limitations the candidate agreed to share.": "Een werkgever ziet alleen wat de plaatsing nodig heeft: de naam, hoe de kandidaat over het werk te bereiken is, en bij de plaatsing de uren, de dagen en de beperkingen die de kandidaat wilde delen.",
		"only what the placement needs is shown to the employer":                                                        "de werkgever ziet alleen wat de plaatsing nodig heeft",
		"10 years (the provider's privacy regulation, seed 001); AWR art. 52: at least 7":                               "10 jaar (privacyreglement aanbieder, seed 001); AWR art. 52: minimaal 7",
		"a statutory duty lasts at least %d years (AWR art. 52)":                                                        "een wettelijke bewaarplicht duurt minstens %d jaar (AWR art. 52)",
		"this candidate's data key is not loaded: the database was restored without its key file (opstap restore-keys)": "de gegevenssleutel van deze kandidaat is niet geladen: de database is teruggezet zonder het bijbehorende sleutelbestand (opstap restore-keys)",
	})
}
