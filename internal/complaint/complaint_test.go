package complaint

import (
	"testing"

	"github.com/opstap/opstap"
)

func date(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestEaster(t *testing.T) {
	for year, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28"} {
		if got := Easter(year).String(); got != want {
			t.Errorf("Easter %d = %s, want %s", year, got, want)
		}
	}
}

func TestAckDueWorkingDays_000art12(t *testing.T) {
	tests := []struct {
		name, received, want string
	}{
		{"monday to monday", "2026-03-02", "2026-03-09"},
		{"friday to friday", "2026-03-06", "2026-03-13"},
		{"saturday counts from monday", "2026-03-07", "2026-03-13"},
		{"over Easter Monday", "2026-04-03", "2026-04-13"},
		{"over King's Day", "2026-04-24", "2026-05-04"},
		{"King's Day on a Sunday moves to the 26th", "2025-04-25", "2025-05-02"},
		{"over Ascension and Whit Monday", "2026-05-13", "2026-05-21"},
		{"over Christmas", "2026-12-23", "2026-12-31"},
		{"over New Year", "2026-12-29", "2027-01-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AckDue(date(tt.received)).String(); got != tt.want {
				t.Fatalf("AckDue(%s) = %s, want %s", tt.received, got, tt.want)
			}
		})
	}
	if got := OutcomeDue(date("2026-01-31")).String(); got != "2026-03-14" {
		t.Fatalf("OutcomeDue = %s", got)
	}
}

func TestQueueOrder_000art12(t *testing.T) {
	today := date("2026-03-04")
	mk := func(id, received string, ack bool, outcome Outcome) *Complaint {
		r := date(received)
		c := &Complaint{ID: id, ReceivedOn: r, AckDueOn: AckDue(r), OutcomeDueOn: OutcomeDue(r), Outcome: outcome}
		if ack {
			c.AcknowledgedOn = r
		}
		c.Refresh(today)
		return c
	}
	fresh := mk("fresh", "2026-03-04", false, "")
	lateAck := mk("late-ack", "2026-02-20", false, "")
	lateOutcome := mk("late-outcome", "2026-01-10", true, "")
	decided := mk("decided", "2026-01-01", true, OutcomeUpheld)
	tests := []struct {
		name string
		a, b *Complaint
		less bool
	}{
		{"overdue acknowledgement before fresh", lateAck, fresh, true},
		{"overdue outcome before overdue acknowledgement when its deadline is earlier", lateOutcome, lateAck, true},
		{"fresh before decided", fresh, decided, true},
		{"decided not before fresh", decided, fresh, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := QueueLess(tt.a, tt.b); got != tt.less {
				t.Fatalf("QueueLess(%s, %s) = %v", tt.a.ID, tt.b.ID, got)
			}
		})
	}
	if !lateAck.Overdue || !lateOutcome.Overdue || fresh.Overdue || decided.Overdue {
		t.Fatal("overdue flags")
	}
}

func TestStepValidate(t *testing.T) {
	today := date("2026-03-04")
	c := &Complaint{ReceivedOn: date("2026-03-01")}
	tests := []struct {
		name  string
		step  Step
		field string
	}{
		{"date in the future", Step{Kind: StepAcknowledge, On: today.AddDays(1)}, "on"},
		{"date before receipt", Step{Kind: StepAcknowledge, On: date("2026-02-28")}, "on"},
		{"outcome unknown", Step{Kind: StepOutcome, Outcome: "maybe", Text: "x"}, "outcome"},
		{"escalation unknown", Step{Kind: StepEscalate, EscalatedTo: "press"}, "escalated_to"},
		{"empty note", Step{Kind: StepNote, Text: "  "}, "text"},
		{"assign nobody", Step{Kind: StepAssign}, "handler_user_id"},
		{"acknowledge today", Step{Kind: StepAcknowledge}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.step.Validate(c, today)
			e := opstap.AsError(err)
			if (tt.field == "" && err != nil) || (tt.field != "" && (e == nil || e.Field != tt.field)) {
				t.Fatalf("err %v, want field %q", err, tt.field)
			}
		})
	}
}
