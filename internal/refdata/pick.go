package refdata

// Staff pick occupations and skills by their Dutch name, never by ESCO code
// (issue 12 item 7). What they typed is matched against the occupations a
// search found; when it names none exactly, the closest ones are offered.

// MaxSuggestions is how many occupations an unmatched name offers.
const MaxSuggestions = 5

// PickOccupation chooses the occupation that typed names among found (the
// result of a search for it, best first). norm folds case and accents. An
// ESCO code, a concept URI or a preferred label names one exactly; an
// alternative label only when no other found occupation has it. Otherwise
// it returns no match and up to MaxSuggestions of found to choose from.
func PickOccupation(typed string, found []Occupation, norm func(string) string) (*Occupation, []Occupation) {
	t := norm(typed)
	if t == "" {
		return nil, nil
	}
	for i, o := range found {
		if typed == o.Code || typed == o.URI || t == norm(o.Label) {
			return &found[i], nil
		}
	}
	var alt *Occupation
	for i, o := range found {
		for _, l := range o.AltLabels {
			if t == norm(l) {
				if alt != nil {
					return nil, suggestions(found)
				}
				alt = &found[i]
				break
			}
		}
	}
	if alt != nil {
		return alt, nil
	}
	return nil, suggestions(found)
}

func suggestions(found []Occupation) []Occupation {
	return found[:min(len(found), MaxSuggestions)]
}
