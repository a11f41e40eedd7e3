package i18n

// Dutch for the restriction of processing (AVG art 18; issue 8 point 2).
func init() {
	Add(map[string]string{
		"no restriction of processing":                                   "geen beperking van de verwerking",
		"restriction of processing in force":                             "beperking van de verwerking van kracht",
		"%d candidates not matched: restriction of processing in force.": "%d kandidaten niet gematcht: beperking van de verwerking van kracht.",
	})
}
