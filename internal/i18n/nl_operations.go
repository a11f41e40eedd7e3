package i18n

// Dutch for operations (issue 13): key fingerprints, bulk registration.
func init() {
	Add(map[string]string{
		"candidates of this file were registered by someone else meanwhile; upload the file again to register the others": "kandidaten uit dit bestand zijn intussen door iemand anders ingeschreven; upload het bestand opnieuw om de overige in te schrijven",
		"keys not configured": "sleutels niet ingesteld",
		"the configured audit key is not the one this database's audit log is chained with (OPSTAP_AUDIT_KEY)": "de ingestelde auditsleutel is niet de sleutel waarmee het auditlogboek van deze database is geketend (OPSTAP_AUDIT_KEY)",
		"master key version %d is in use in this database but not configured (OPSTAP_MASTER_KEYS)":             "hoofdsleutelversie %d is in gebruik in deze database maar niet ingesteld (OPSTAP_MASTER_KEYS)",
		"master key version %d differs from the one this database's data is sealed with (OPSTAP_MASTER_KEYS)":  "hoofdsleutelversie %d verschilt van de sleutel waarmee de gegevens in deze database zijn versleuteld (OPSTAP_MASTER_KEYS)",
	})
}
