package i18n

// Dutch texts of the municipality's management and progress reports
// (issue 10 items 4 and 5).
func init() {
	Add(map[string]string{
		"the period ends before it starts":                      "de periode eindigt voordat hij begint",
		"a report covers at most %d months":                     "een rapportage beslaat ten hoogste %d maanden",
		"write a quarter as 2026-Q3":                            "schrijf een kwartaal als 2026-Q3",
		"you may only see the reports of your own municipality": "u mag alleen de rapportages van uw eigen gemeente inzien",
		"no such report":                                        "deze rapportage bestaat niet",
		"A new management report is ready for you in Opstap.":   "Er staat een nieuwe managementrapportage voor u klaar in Opstap.",
	})
}
