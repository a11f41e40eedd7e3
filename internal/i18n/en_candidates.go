package i18n

func init() {
	for k, v := range map[string]string{
		"category:basic": "Basic data", "category:bsn": "BSN", "category:benefit": "Benefit",
		"category:education": "Education and work experience", "category:preferences": "Preferences",
		"category:limitations": "Functional limitations", "category:medical": "Medical",
		"category:financial": "Financial", "category:notes": "Notes", "category:reports": "Reports",
		"category:timesheets": "Hours worked and travel costs",
		"field:first_name":    "First name", "field:last_name": "Last name", "field:birth_date": "Birth date",
		"field:gender": "Gender (f, m or x)", "field:nationality": "Nationality", "field:street": "Street",
		"field:house_number": "House number", "field:postcode": "Postcode", "field:city": "City",
		"field:phone": "Phone", "field:email": "E-mail address", "field:bsn": "BSN",
		"field:kind": "Kind of benefit", "field:start": "Benefit since", "field:level": "Education level",
		"field:diplomas": "Diplomas", "field:work_experience": "Work experience",
		"field:hours_per_week": "Hours per week", "field:occupations": "Occupations sought",
		"field:max_travel_km": "Maximum travel distance (km)", "field:wishes": "Wishes",
		"field:iban": "IBAN", "field:account_holder": "Account holder",
		"benefit:participatiewet": "Participatiewet (social assistance)", "benefit:ww": "WW (unemployment)",
		"benefit:wia": "WIA (incapacity)", "benefit:wajong": "Wajong", "benefit:zw": "ZW (sickness)",
		"benefit:anw": "Anw (surviving dependants)", "benefit:ioaw": "IOAW", "benefit:none": "No benefit",
	} {
		en[k] = v
	}
}
