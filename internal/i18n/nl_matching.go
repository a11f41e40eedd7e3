package i18n

// Dutch for the matching engine's weight validation (internal/matching).
func init() {
	Add(map[string]string{
		"a weight must be a number":              "een gewicht moet een getal zijn",
		"a weight cannot be negative":            "een gewicht kan niet negatief zijn",
		"at least one weight must be above zero": "minstens één gewicht moet boven nul liggen",
	})
}
