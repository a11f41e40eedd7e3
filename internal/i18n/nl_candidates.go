package i18n

func init() {
	Add(map[string]string{
		"category:basic": "Basisgegevens", "category:bsn": "BSN", "category:benefit": "Uitkering",
		"category:education": "Opleiding en werkervaring", "category:preferences": "Voorkeuren",
		"category:limitations": "Functionele beperkingen", "category:medical": "Medisch",
		"category:financial": "Financieel", "category:notes": "Notities", "category:reports": "Rapportages",
		"field:first_name": "Voornaam", "field:last_name": "Achternaam", "field:birth_date": "Geboortedatum",
		"field:gender": "Geslacht (v = f, m of x)", "field:nationality": "Nationaliteit", "field:street": "Straat",
		"field:house_number": "Huisnummer", "field:postcode": "Postcode", "field:city": "Woonplaats",
		"field:phone": "Telefoon", "field:email": "E-mailadres", "field:bsn": "BSN",
		"field:kind": "Soort uitkering", "field:start": "Uitkering sinds", "field:level": "Opleidingsniveau",
		"field:diplomas": "Diploma's", "field:work_experience": "Werkervaring",
		"field:hours_per_week": "Uren per week", "field:occupations": "Gezochte beroepen",
		"field:max_travel_km": "Maximale reisafstand (km)", "field:wishes": "Wensen",
		"field:iban": "IBAN", "field:account_holder": "Rekeninghouder",
		"benefit:participatiewet": "Participatiewet (bijstand)", "benefit:ww": "WW",
		"benefit:wia": "WIA", "benefit:wajong": "Wajong", "benefit:zw": "Ziektewet",
		"benefit:anw": "Anw", "benefit:ioaw": "IOAW", "benefit:none": "Geen uitkering",
	})
}
