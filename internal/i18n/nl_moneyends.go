package i18n

// Dutch texts of issue 9's loose ends: the month overview in pages, the
// billing details page, reopened months with invoices.
func init() {
	Add(map[string]string{
		"Pages": "Pagina's",
		"Placements %d to %d of %d; the total is of all of them.": "Plaatsingen %d tot en met %d van %d; het totaal is van allemaal.",
		"Previous placements":    "Vorige plaatsingen",
		"Next placements":        "Volgende plaatsingen",
		"page must be 0 or more": "pagina moet 0 of meer zijn",

		"enter the account to pay from, or the provider's IBAN in the billing details":                                  "vul de rekening in waarvan betaald wordt, of de IBAN van de aanbieder bij de factuurgegevens",
		"Filled in from the billing details; empty pays from that account too.":                                         "Ingevuld uit de factuurgegevens; leeg betaalt ook van die rekening.",
		"%d issued invoices of this month no longer match its approved hours: the month was reopened and they changed.": "%d verstuurde facturen van deze maand kloppen niet meer met de goedgekeurde uren: de maand is heropend en die zijn gewijzigd.",
		"Credit and reissue each one below.":                                                                            "Crediteer en vervang ze hieronder één voor één.",
		"Close the month again, then credit and reissue them.":                                                          "Sluit de maand opnieuw af en crediteer en vervang ze daarna.",
		"no longer matches the approved hours (invoiced € %s without VAT)":                                              "klopt niet meer met de goedgekeurde uren (gefactureerd € %s zonder btw)",
		"Paid: correct it with a new invoice or a refund.":                                                              "Betaald: corrigeer met een nieuwe factuur of een terugbetaling.",
		"Credit and reissue %s":                                   "%s crediteren en opnieuw factureren",
		"Credited with %s; the month bills nothing more.":         "Gecrediteerd met %s; de maand wordt verder niet gefactureerd.",
		"Credited with %s and reissued as %s.":                    "Gecrediteerd met %s en opnieuw gefactureerd als %s.",
		"this invoice still matches the month's approved hours":   "deze factuur klopt nog met de goedgekeurde uren van de maand",
		"a credit note is not credited":                           "een creditnota wordt niet gecrediteerd",
		"Billing details":                                         "Factuurgegevens",
		"Billing details of %s":                                   "Factuurgegevens van %s",
		"Billing details saved.":                                  "De factuurgegevens zijn opgeslagen.",
		"Back to the billing details":                             "Terug naar de factuurgegevens",
		"KvK number or OIN":                                       "KvK-nummer of OIN",
		"Identified by":                                           "Geïdentificeerd met",
		"Place":                                                   "Plaats",
		"E-mail address for invoices":                             "E-mailadres voor facturen",
		"IBAN":                                                    "IBAN",
		"Written NL123456789B01.":                                 "Geschreven als NL123456789B01.",
		"Buyer reference (order or cost centre)":                  "Referentie van de afnemer (order of kostenplaats)",
		"Required by Dutch government buyers on every e-invoice.": "Nederlandse overheden eisen die op elke e-factuur.",
		"org:provider":                                            "aanbieder",
		"org:municipality":                                        "gemeente",
		"org:client_employer":                                     "werkgever",
		"scheme:0106":                                             "KvK-nummer (Kamer van Koophandel)",
		"scheme:0190":                                             "OIN (overheidsorganisatie)",
		"missing: no invoice can be issued to or from this organisation": "ontbreken: er kan geen factuur van of aan deze organisatie worden gemaakt",
		"The details every invoice names: the provider's own as the seller (with the VAT number and the account employers and municipalities pay to, which is also the account premium payouts are paid from) and each municipality's and client employer's as the buyer. A change reaches the next invoice; issued invoices keep the details they went out with.": "De gegevens die op elke factuur staan: die van de aanbieder zelf als verkoper (met het btw-nummer en de rekening waarop werkgevers en gemeenten betalen, ook de rekening waarvan premies worden uitbetaald) en die van elke gemeente en werkgever als afnemer. Een wijziging geldt vanaf de volgende factuur; verstuurde facturen houden de gegevens waarmee ze zijn verstuurd.",
		"The provider as seller on every invoice. The VAT number and the IBAN are required: employers and municipalities pay to this account, and premium payouts are paid from it.":                                                                                                                                                                               "De aanbieder als verkoper op elke factuur. Het btw-nummer en de IBAN zijn verplicht: werkgevers en gemeenten betalen op deze rekening, en premies worden ervan uitbetaald.",
		"This organisation as buyer on its invoices. A municipality is identified by its OIN, a company by its KvK number.":                                                                                                                                                                                                                                        "Deze organisatie als afnemer op haar facturen. Een gemeente wordt geïdentificeerd met haar OIN, een bedrijf met zijn KvK-nummer.",
	})
}
