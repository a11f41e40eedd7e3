package i18n

// Dutch texts of the municipality's figures (issue 10).
func init() {
	Add(map[string]string{
		"the period's first day is required":                    "de eerste dag van de periode is verplicht",
		"the period's last day is required":                     "de laatste dag van de periode is verplicht",
		"the period's last day lies before its first day":       "de laatste dag van de periode ligt voor de eerste dag",
		"a period lasts at most %d months":                      "een periode duurt hoogstens %d maanden",
		"you may only see the figures of your own municipality": "u mag alleen de cijfers van uw eigen gemeente zien",
	})
}
