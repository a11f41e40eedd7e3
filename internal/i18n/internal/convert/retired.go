package main

// retired holds the Dutch pairs of the old Go maps that the move to the
// catalogue dropped on purpose: dead entries, the losing side of a conflict,
// and texts renamed to a context ID or a label code. A branch merged later
// still has them in its copy of an old nl_*.go file; they are skipped, not
// brought back.
var retired = map[[2]string]bool{
	{"11,75", "11,75"}:             true,
	{"AVG article", "AVG artikel"}: true,
	{"Approve version %d of %s", "Versie %d van %s goedkeuren"}:   true,
	{"Default hourly rate (euros)", "Standaard uurtarief (euro)"}: true,
	{"Download the export (ZIP)", "Export downloaden (ZIP)"}:      true,
	{"Edit", "Wijzigen"}:                            true,
	{"Number", "Aantal"}:                            true,
	{"Older entries", "Oudere items"}:               true,
	{"Register candidates", "Kandidaten aanmelden"}: true,
	{"Search by name, e-mail address or BSN", "Zoek op naam, e-mailadres of BSN"}: true,
	{"Send a comment on %s", "Commentaar op %s sturen"}:                           true,
	{"Set closed", "Sluiten"}:              true,
	{"Set filled", "Markeren als vervuld"}: true,
	{"Set open", "Openstellen"}:            true,
	{"The hourly rate is what employers are invoiced by default for new assignments [003 art 5 lid 8]. The weights decide how the matching engine ranks candidates; each proposal shows the score per criterion.", "Het uurtarief is wat werkgevers standaard gefactureerd krijgen voor nieuwe opdrachten [003 art 5 lid 8]. De gewichten bepalen hoe de matching kandidaten rangschikt; elk voorstel toont de score per criterium."}: true,
	{"closed", "gesloten"}:                     true,
	{"date is required", "datum is verplicht"}: true,
	{"draft", "concept"}:                       true,
	{"filled", "vervuld"}:                      true,
	{"hours per week must be between 0 and 60", "uren per week moet tussen 0 en 60 liggen"}:                  true,
	{"limit must be a positive whole number", "limit moet een positief geheel getal zijn"}:                   true,
	{"method not allowed", "methode niet toegestaan"}:                                                        true,
	{"name is required", "naam is verplicht"}:                                                                true,
	{"notification kind %q is not in store.NoticeKinds", "meldingssoort %q staat niet in store.NoticeKinds"}: true,
	{"open", "open"}: true,
	{"request body too large", "de aanvraag is te groot"}:               true,
	{"the database is not reachable", "de database is niet bereikbaar"}: true,
	{"title is required", "titel is verplicht"}:                         true,
	{"unknown action", "onbekende handeling"}:                           true,
}
