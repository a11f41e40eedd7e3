package accesslog

import (
	"reflect"
	"testing"
	"time"
)

func TestGroup(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ams)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	lines := []Line{ // newest first, as the log gives them
		{At: at("2026-12-04 10:15"), Actor: "c1", Role: "coach", Organisation: "Opstap", Event: "read", Category: "education", Purpose: "guidance"},
		{At: at("2026-12-04 10:10"), Actor: "m1", Role: "case_manager", Organisation: "Almere", Event: "read", Category: "basic", Purpose: "commissioner"},
		{At: at("2026-12-04 10:05"), Actor: "c1", Role: "coach", Organisation: "Opstap", Event: "write", Category: "basic", Purpose: "guidance"},
		{At: at("2026-12-04 10:02"), Actor: "c1", Role: "coach", Organisation: "Opstap", Event: "read", Category: "basic", Purpose: "guidance"},
		{At: at("2026-12-04 00:30"), Actor: "c2", Role: "coach", Organisation: "Opstap", Event: "read", Category: "medical", Refused: true},
		// The day is Amsterdam's: 23:59 on the 3rd is the 3rd, though the 4th is one minute away.
		{At: at("2026-12-03 23:59"), Actor: "c1", Role: "coach", Organisation: "Opstap", Event: "read", Category: "basic", Purpose: "guidance"},
	}
	days := Group(lines, ams)
	if len(days) != 2 || days[0].Date.String() != "2026-12-04" || days[1].Date.String() != "2026-12-03" {
		t.Fatalf("days %+v", days)
	}
	want := []Visit{
		{Role: "coach", Organisation: "Opstap", From: at("2026-12-04 10:02"), To: at("2026-12-04 10:15"),
			Events: []string{"read", "write"}, Categories: []string{"education", "basic"}, Purposes: []string{"guidance"}, Lines: 3},
		{Role: "case_manager", Organisation: "Almere", From: at("2026-12-04 10:10"), To: at("2026-12-04 10:10"),
			Events: []string{"read"}, Categories: []string{"basic"}, Purposes: []string{"commissioner"}, Lines: 1},
		// Another coach of the same organisation is another person.
		{Role: "coach", Organisation: "Opstap", From: at("2026-12-04 00:30"), To: at("2026-12-04 00:30"),
			Events: []string{"read"}, Categories: []string{"medical"}, Lines: 1, Refused: 1},
	}
	if !reflect.DeepEqual(days[0].Visits, want) {
		t.Fatalf("visits of the 4th:\n%+v\nwant\n%+v", days[0].Visits, want)
	}
	if len(days[1].Visits) != 1 || days[1].Visits[0].Lines != 1 {
		t.Fatalf("the 3rd: %+v", days[1].Visits)
	}
	if Group(nil, ams) != nil {
		t.Fatal("no lines, no days")
	}
}
