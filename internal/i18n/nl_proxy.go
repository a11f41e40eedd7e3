package i18n

// Dutch for the trusted-proxy setting (issue 8 point 7).
func init() {
	Add(map[string]string{
		"invalid trusted proxy %q": "ongeldige vertrouwde proxy %q",
	})
}
