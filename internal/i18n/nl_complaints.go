package i18n

// Complaints [000 art 12] and notifications: the desk's queue and handling,
// the candidate's portal page, and the neutral notice lines that the in-app
// list and the e-mails use (they name no person and no dossier contents).
func init() {
	Add(map[string]string{
		// Neutral notice lines, one per notification kind (store.NoticeText).
		"A report is waiting for your approval in Opstap.":      "Er staat een rapportage voor u klaar om goed te keuren in Opstap.",
		"A report has been shared in Opstap.":                   "Er is een rapportage gedeeld in Opstap.",
		"Brief progress information has been shared in Opstap.": "Er is korte voortgangsinformatie gedeeld in Opstap.",
		"There is news about your complaint in Opstap.":         "Er is nieuws over uw klacht in Opstap.",
		"There is a change in your trajectory in Opstap.":       "Er is een wijziging in uw traject in Opstap.",
		"A new document is ready for you in Opstap.":            "Er staat een nieuw document voor u klaar in Opstap.",
		"There is a new message for you in Opstap.":             "Er staat een nieuw bericht voor u klaar in Opstap.",

		// E-mail body (jobs/mail.go).
		"Sign in to read it:": "Log in om het te lezen:",
		"This e-mail contains no personal data. You receive it because you have an account in Opstap.": "Deze e-mail bevat geen persoonsgegevens. U ontvangt hem omdat u een account in Opstap heeft.",

		// Errors.
		"unknown channel":                                                      "onbekend kanaal",
		"subject is required":                                                  "onderwerp is verplicht",
		"the subject may have at most %d characters":                           "het onderwerp mag hoogstens %d tekens hebben",
		"describe the complaint":                                               "beschrijf de klacht",
		"the text may have at most %d characters":                              "de tekst mag hoogstens %d tekens hebben",
		"the date of receipt cannot lie in the future":                         "de datum van ontvangst kan niet in de toekomst liggen",
		"the date cannot lie in the future":                                    "de datum kan niet in de toekomst liggen",
		"the date cannot lie before the complaint was received":                "de datum kan niet voor de ontvangst van de klacht liggen",
		"the complaint was already acknowledged":                               "de ontvangst van de klacht is al bevestigd",
		"choose a handler":                                                     "kies een behandelaar",
		"the note is empty":                                                    "de notitie is leeg",
		"unknown handling step":                                                "onbekende behandelstap",
		"the outcome was already recorded":                                     "de uitkomst is al vastgelegd",
		"choose an outcome":                                                    "kies een uitkomst",
		"explain the outcome in writing":                                       "licht de uitkomst schriftelijk toe",
		"the complaint was already escalated":                                  "de klacht is al doorgezet",
		"choose where the complaint goes":                                      "kies waar de klacht heen gaat",
		"no such complaint":                                                    "deze klacht bestaat niet",
		"no such notification":                                                 "deze melding bestaat niet",
		"the handler must be a member of the complaints desk":                  "de behandelaar moet lid zijn van het klachtenloket",
		"only the complaints desk and the privacy officer may read complaints": "alleen het klachtenloket en de privacyfunctionaris mogen klachten lezen",
		"only the complaints desk may handle complaints":                       "alleen het klachtenloket mag klachten behandelen",
	})
}
