package i18n

// English labels of worked hours and finance periods.
func init() {
	for k, v := range map[string]string{
		"timesheet-field:hours": "Hours", "timesheet-field:travel_km": "Kilometres",
		"timesheet-field:transit": "Public transport (€)", "timesheet-field:reason": "Reason",
		"hours-status:submitted": "Waiting for the employer", "hours-status:approved": "Approved", "hours-status:rejected": "Rejected",
		"period:closed": "Closed", "period:reopened": "Reopened",
	} {
		en[k] = v
	}
}
