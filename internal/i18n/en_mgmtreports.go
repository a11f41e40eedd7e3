package i18n

// English labels of the management reports' trend.
func init() {
	for k, v := range map[string]string{
		"figure:placed_candidates": "Placed candidates", "figure:placements_started": "Placements started", "figure:assignments_open": "Assignments open",
		"figure:minutes": "Hours", "figure:revenue_cents": "Revenue",
		"trend:up": "up", "trend:down": "down", "trend:same": "the same",
	} {
		en[k] = v
	}
}
