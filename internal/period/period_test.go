package period

import (
	"testing"

	"github.com/opstap/opstap"
)

func month(s string) opstap.Month {
	m, err := opstap.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func day(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestLanding(t *testing.T) {
	closed := []opstap.Month{month("2026-01"), month("2026-02"), month("2026-04")}
	tests := []struct{ in, want string }{
		{"2026-01", "2026-03"}, // two closed months in a row
		{"2026-02", "2026-03"},
		{"2026-03", "2026-03"}, // open: stays
		{"2026-04", "2026-05"},
		{"2025-12", "2025-12"}, // open, even though later months are closed
	}
	for _, tt := range tests {
		if got := Landing(closed, month(tt.in)); got != month(tt.want) {
			t.Errorf("Landing(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if Landing(nil, month("2026-12")) != month("2026-12") {
		t.Error("nothing closed: the month itself")
	}
}

func TestCheckClose(t *testing.T) {
	closed := []opstap.Month{month("2026-01")}
	tests := []struct {
		name  string
		m     opstap.Month
		today string
		want  string // field or code; "" allowed
	}{
		{"ended month", month("2026-02"), "2026-03-01", ""},
		{"the current month has not ended", month("2026-03"), "2026-03-31", "month"},
		{"a future month", month("2026-05"), "2026-03-31", "month"},
		{"already closed", month("2026-01"), "2026-03-01", opstap.ECONFLICT},
		{"no month", opstap.Month{}, "2026-03-01", "month"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldOrCode(CheckClose(closed, tt.m, day(tt.today))); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckReopen(t *testing.T) {
	closed := []opstap.Month{month("2026-01")}
	tests := []struct {
		name   string
		m      opstap.Month
		reason string
		want   string
	}{
		{"closed with a reason", month("2026-01"), "invoice of employer X was wrong", ""},
		{"reason too short", month("2026-01"), "  fout    ", "reason"},
		{"not closed", month("2026-02"), "invoice of employer X was wrong", opstap.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldOrCode(CheckReopen(closed, tt.m, tt.reason)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	if !IsClosed(closed, month("2026-01")) || IsClosed(closed, month("2027-01")) {
		t.Fatal("IsClosed")
	}
}

func fieldOrCode(err error) string {
	if e := opstap.AsError(err); e != nil && e.Field != "" {
		return e.Field
	}
	return opstap.ErrorCode(err)
}
