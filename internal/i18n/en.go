package i18n

// en holds English texts for label keys (role:…, access:…) that are not
// English sentences themselves. Sentences need no entry: code writes English.
var en = map[string]string{
	"role:coach":           "Coach",
	"role:medical_expert":  "Medical expert",
	"role:finance":         "Finance",
	"role:privacy_officer": "Privacy officer",
	"role:complaints_desk": "Complaints desk",
	"role:admin":           "Application administrator",
	"role:auditor":         "Auditor",
	"role:case_manager":    "Case manager",
	"role:employer":        "Client employer",
	"role:candidate":       "Candidate",
	"access:read":          "read",
	"access:write":         "read and write",
}
