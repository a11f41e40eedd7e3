package i18n

// Dutch texts of premium payouts (issue 9 item 4).
func init() {
	Add(map[string]string{
		"Premium payouts": "Premie-uitbetalingen",
		"My premium":      "Mijn premie",
		"Your premium and travel costs, paid at most twice a calendar year. Hours worked under 27 earn no premium (Participatiewet art 31 lid 7); premium above the year's maximum is not paid by us: your municipality decides on it.":                                                                     "Uw premie en reiskosten, ten hoogste twee keer per kalenderjaar uitbetaald. Uren gewerkt onder de 27 jaar leveren geen premie op (Participatiewet art. 31 lid 7); premie boven het maximum van het jaar betalen wij niet uit: daarover beslist uw gemeente.",
		"Premiums and travel costs of closed months, paid to candidates at most twice a calendar year and never above the year's maximum (Participatiewet art 31 lid 2 onder j). Premium above the maximum is shown as excess for the municipality to decide; from 80 % of the maximum a payout is marked.": "Premies en reiskosten van afgesloten maanden, ten hoogste twee keer per kalenderjaar aan kandidaten uitbetaald en nooit boven het maximum van het jaar (Participatiewet art. 31 lid 2 onder j). Premie boven het maximum staat als overschrijding vermeld; daarover beslist de gemeente. Vanaf 80 % van het maximum wordt een uitbetaling gemarkeerd.",
		"Make a payout batch":                 "Betaalbatch aanmaken",
		"Up to and including month (YYYY-MM)": "Tot en met maand (JJJJ-MM)",
		"Execution date":                      "Uitvoeringsdatum",
		"IBAN of the provider's account":      "IBAN van de rekening van de aanbieder",
		"BIC (optional)":                      "BIC (niet verplicht)",
		"Make the batch":                      "Batch aanmaken",
		"Payout batches":                      "Betaalbatches",
		"Batch":                               "Batch",
		"Up to and including":                 "Tot en met",
		"Payments":                            "Betalingen",
		"SEPA file %s":                        "SEPA-bestand %s",
		"No batches yet.":                     "Nog geen batches.",
		"Payouts":                             "Uitbetalingen",
		"Candidate (pseudonym)":               "Kandidaat (pseudoniem)",
		"Paid on":                             "Betaald op",
		"Months":                              "Maanden",
		"Amount":                              "Bedrag",
		"Excess above the maximum":            "Boven het maximum",
		"80 % of the maximum reached":         "80 % van het maximum bereikt",
		"No payouts yet.":                     "Nog geen uitbetalingen.",
		"Batch %s made: %d payments, EUR %s; %d candidates left out.":       "Batch %s aangemaakt: %d betalingen, € %s; %d kandidaten niet meegenomen.",
		"close the month before paying its premiums":                        "sluit de maand af voordat u de premies ervan uitbetaalt",
		"there is nothing to pay up to this month":                          "er is tot en met deze maand niets uit te betalen",
		"a payee's processing is restricted: the file cannot be made again": "de verwerking van een begunstigde is beperkt: het bestand kan niet opnieuw worden gemaakt",
		"a payee was erased: the file cannot be made again":                 "een begunstigde is gewist: het bestand kan niet opnieuw worden gemaakt",
		"no such payout batch":                                              "deze betaalbatch bestaat niet",
		"no contract terms of %s on %s":                                     "geen contractvoorwaarden van %s op %s",
	})
}
