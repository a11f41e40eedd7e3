package trajectory

import (
	"testing"
	"time"
)

func TestAgenda(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ams)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	now := at("2026-12-07 11:00") // a Monday
	items := []AgendaItem{
		{CandidateID: "a", At: at("2026-12-14 09:00"), Kind: "intake"},   // a week from now: not this week
		{CandidateID: "a", At: at("2026-12-07 14:00"), Kind: "coaching"}, // later today: next
		{CandidateID: "a", At: at("2026-12-07 09:00"), Kind: "coaching"}, // earlier today: in the week, last contact
		{CandidateID: "b", At: at("2026-12-03 10:00"), Kind: "coaching"}, // last week: contact
		{CandidateID: "b", At: at("2026-12-05 10:00"), Kind: "coaching", Absent: true},
		{CandidateID: "b", At: at("2026-12-13 23:30"), Kind: "workshop"}, // Sunday night: still this week
		{CandidateID: "c", At: at("2026-11-01 10:00"), Kind: "coaching", Absent: true},
	}
	week, contacts := Agenda(items, now, ams)
	var got []string
	for _, w := range week {
		got = append(got, w.CandidateID+" "+w.At.In(ams).Format("02 15:04"))
	}
	want := []string{"a 07 09:00", "a 07 14:00", "b 13 23:30"}
	if len(got) != len(want) {
		t.Fatalf("week %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("week %v, want %v", got, want)
		}
	}
	tests := []struct {
		id         string
		next, last string // "" for none
	}{
		{"a", "07 14:00", "07 09:00"},
		{"b", "13 23:30", "03 10:00"}, // the absence on the 5th is no contact
		{"c", "", ""},
	}
	for _, tt := range tests {
		c := contacts[tt.id]
		next, last := "", ""
		if c.Next != nil {
			next = c.Next.At.In(ams).Format("02 15:04")
		}
		if c.Last != nil {
			last = c.Last.In(ams).Format("02 15:04")
		}
		if next != tt.next || last != tt.last {
			t.Errorf("%s: next %q last %q, want %q %q", tt.id, next, last, tt.next, tt.last)
		}
	}
}
