package i18n

// Texts of issue 12: the ways between pages, error summaries and forms.
func init() {
	Add(map[string]string{
		"unknown placement status": "onbekende status van een plaatsing",
		"Placements and proposals": "Plaatsingen en voorstellen",
		"The placements on your municipality's assignments. Open one to confirm it, change its hours or record its end.": "De plaatsingen op de opdrachten van uw gemeente. Open er een om haar te bevestigen, de uren te wijzigen of het einde vast te leggen.",
		"All statuses":                  "Alle statussen",
		"Placements of this assignment": "Plaatsingen van deze opdracht",
		// Refusals that left the catalogue test red on main.
		"notification kind %q is not in store.NoticeKinds": "soort bericht %q staat niet in store.NoticeKinds",
	})
}
