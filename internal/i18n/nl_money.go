package i18n

func init() {
	Add(map[string]string{
		"the amount is too large to calculate with": "het bedrag is te groot om mee te rekenen",
	})
}
