package i18n

// English labels of the billing details page.
func init() {
	for k, v := range map[string]string{
		"org:provider": "provider", "org:municipality": "municipality", "org:client_employer": "client employer",
		"scheme:0106": "KvK number (Chamber of Commerce)", "scheme:0190": "OIN (government body)",
	} {
		en[k] = v
	}
}
