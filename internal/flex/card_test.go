package flex

import (
	"reflect"
	"testing"
)

// TestProposalCard_003art7_7: the card holds the experience (relevant to the
// assignment first, then the longest), hours, days and start, and none of
// the profile's other fields [003 art 7.7 lid 2].
func TestProposalCard_003art7_7(t *testing.T) {
	label := func(code string) string { return "name of " + code }
	p := &Profile{
		Occupations: []ProfileOccupation{
			{Code: "5223.6", ISCO: "5223", ExperienceMonths: 6},
			{Code: "9412.1", ISCO: "9412", ExperienceMonths: 30},
			{Code: "5223.2", ISCO: "5223", ExperienceMonths: 12},
			{Code: "7512.1", ISCO: "7512", ExperienceMonths: 0}, // no experience: not on the card
		},
		HoursPerWeek: 24, Days: []string{"mon", "tue"}, AvailableFrom: date("2026-01-05"),
		Postcode4: "1315", MaxTravelKm: 20, DrivingLicence: true, Preferred: []string{"5223"}, Skills: []string{"S1"},
	}
	for _, c := range []struct {
		name, code, isco string
		want             []CardExperience
	}{
		{"assignment in the candidate's unit group", "5223.6", "5223", []CardExperience{
			{"name of 5223.2", 12, true}, {"name of 5223.6", 6, true}, {"name of 9412.1", 30, false}}},
		{"same code only", "9412.1", "", []CardExperience{
			{"name of 9412.1", 30, true}, {"name of 5223.2", 12, false}, {"name of 5223.6", 6, false}}},
		{"nothing relevant: longest first", "2512.1", "2512", []CardExperience{
			{"name of 9412.1", 30, false}, {"name of 5223.2", 12, false}, {"name of 5223.6", 6, false}}},
	} {
		got := p.Card(c.code, c.isco, label)
		if !reflect.DeepEqual(got.Experience, c.want) {
			t.Errorf("%s: experience %+v, want %+v", c.name, got.Experience, c.want)
		}
		if got.HoursPerWeek != 24 || !reflect.DeepEqual(got.Days, []string{"mon", "tue"}) || got.AvailableFrom != date("2026-01-05") {
			t.Errorf("%s: availability %+v", c.name, got)
		}
	}
	// The card type itself carries nothing else: a new field is a decision
	// about what an employer sees, to be made here.
	var fields []string
	for f := range reflect.TypeFor[ProposalCard]().Fields() {
		fields = append(fields, f.Name)
	}
	if want := []string{"Experience", "HoursPerWeek", "Days", "AvailableFrom"}; !reflect.DeepEqual(fields, want) {
		t.Errorf("card fields %v, want %v", fields, want)
	}
	if empty := (&Profile{}).Card("x", "", label); empty.Experience == nil || empty.Days == nil {
		t.Errorf("an empty profile gives nil lists: %+v", empty)
	}
}
