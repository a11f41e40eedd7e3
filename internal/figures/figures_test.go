package figures

import (
	"encoding/json"
	"testing"

	"github.com/opstap/opstap"
)

func day(s string) opstap.Date {
	d, err := opstap.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestMonthsOnBenefit(t *testing.T) {
	tests := []struct {
		start, registered string
		want              int
	}{
		{"2023-02-28", "2024-02-29", 12},
		{"2023-03-31", "2024-02-29", 11}, // 31 March + 11 months = 29 February
		{"2024-02-29", "2025-02-28", 12}, // 29 February + 12 months = 28 February
		{"2024-02-29", "2025-02-27", 11},
		{"2021-06-15", "2024-06-15", 36},
		{"2021-06-16", "2024-06-15", 35},
		{"2024-01-31", "2024-02-29", 1},
		{"2024-01-31", "2024-02-28", 0},
		{"2024-05-01", "2024-04-30", 0}, // benefit after registration
		{"", "2024-04-30", 0},
	}
	for _, tt := range tests {
		var start opstap.Date
		if tt.start != "" {
			start = day(tt.start)
		}
		if got := MonthsOnBenefit(start, day(tt.registered)); got != tt.want {
			t.Errorf("MonthsOnBenefit(%s, %s) = %d, want %d", tt.start, tt.registered, got, tt.want)
		}
	}
}

func TestLongerThan(t *testing.T) {
	tests := []struct {
		first, last string
		n           int
		want        bool
	}{
		{"2024-01-31", "2024-04-30", 3, true}, // month-end start: + 3 months = 30 April
		{"2024-01-31", "2024-04-29", 3, false},
		{"2024-02-29", "2024-05-28", 3, false},
		{"2024-02-29", "2024-05-29", 3, true},
		{"2023-11-30", "2024-02-29", 3, true},
		{"2023-11-30", "2024-02-28", 3, false},
		{"2024-03-01", "2024-09-01", 6, true},
		{"2024-03-01", "2024-08-31", 6, false},
	}
	for _, tt := range tests {
		if got := LongerThan(day(tt.first), day(tt.last), tt.n); got != tt.want {
			t.Errorf("LongerThan(%s, %s, %d) = %t, want %t", tt.first, tt.last, tt.n, got, tt.want)
		}
	}
}

func TestPeriodValidate(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		field      string
	}{
		{"a year", "2024-01-01", "2024-12-31", ""},
		{"one day", "2024-02-29", "2024-02-29", ""},
		{"no start", "", "2024-12-31", "start"},
		{"no end", "2024-01-01", "", "end"},
		{"end before start", "2024-12-31", "2024-01-01", "end"},
		{"ten years", "2015-01-01", "2024-12-31", ""},
		{"too long", "2015-01-01", "2025-01-01", "end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Period
			if tt.start != "" {
				p.Start = day(tt.start)
			}
			if tt.end != "" {
				p.End = day(tt.end)
			}
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if e := opstap.AsError(err); e == nil || e.Field != tt.field {
				t.Fatalf("Validate() = %v, want an error on field %q", err, tt.field)
			}
		})
	}
}

func TestTenths(t *testing.T) {
	tests := []struct {
		t           Tenths
		text, dutch string
	}{
		{846, "84.6", "84,6"}, {30, "3.0", "3,0"}, {0, "0.0", "0,0"}, {1145, "114.5", "114,5"}, {-23, "-2.3", "-2,3"},
	}
	for _, tt := range tests {
		b, _ := tt.t.MarshalJSON()
		if tt.t.String() != tt.text || tt.t.Dutch() != tt.dutch || string(b) != tt.text {
			t.Errorf("%d: %q %q %s, want %q %q", tt.t, tt.t.String(), tt.t.Dutch(), b, tt.text, tt.dutch)
		}
	}
}

func TestPrevious(t *testing.T) {
	tests := []struct{ start, end, wantStart, wantEnd string }{
		{"2024-01-01", "2024-12-31", "2023-01-01", "2023-12-31"}, // a year
		{"2024-04-01", "2024-06-30", "2024-01-01", "2024-03-31"}, // a quarter
		{"2024-03-01", "2024-03-31", "2024-02-01", "2024-02-29"}, // a month after February
		{"2024-02-15", "2024-03-14", "2024-01-17", "2024-02-14"}, // 29 days
		{"2024-06-01", "2024-06-01", "2024-05-31", "2024-05-31"}, // a day
	}
	for _, tt := range tests {
		got := Period{Start: day(tt.start), End: day(tt.end)}.Previous()
		if got.Start != day(tt.wantStart) || got.End != day(tt.wantEnd) {
			t.Errorf("before %s–%s: %s–%s, want %s–%s", tt.start, tt.end, got.Start, got.End, tt.wantStart, tt.wantEnd)
		}
	}
}

// TestMonthTenths: days as months of 30.4375 days, per placement, in
// tenths rounded half up (the figures' and the management reports'
// durations).
func TestMonthTenths(t *testing.T) {
	tests := []struct {
		days, n int64
		want    string
	}{
		{0, 0, "0,0"}, {30, 1, "1,0"}, {31, 1, "1,0"}, {284, 4, "2,3"}, {212, 1, "7,0"}, {365, 1, "12,0"}, {46, 1, "1,5"},
		{566, 6, "3,1"}, // the dataset's year: 18.5955 months over 6 placements
	}
	for _, tc := range tests {
		if got := MonthTenths(tc.days, tc.n).Dutch(); got != tc.want {
			t.Errorf("%d/%d: %s, want %s", tc.days, tc.n, got, tc.want)
		}
	}
	for _, in := range []string{"2.3", "-2.3", "0.0", "114.5"} {
		var x Tenths
		if err := json.Unmarshal([]byte(in), &x); err != nil || x.String() != in {
			t.Errorf("unmarshal %s: %v %v", in, x, err)
		}
	}
}

func TestWholePercent(t *testing.T) {
	tests := []struct{ part, whole, want int }{
		{0, 0, 0}, {1, 2, 50}, {2, 3, 67}, {1, 3, 33}, {1, 200, 1}, {1, 201, 0}, {288, 288, 100},
	}
	for _, tt := range tests {
		if got := wholePercent(tt.part, tt.whole); got != tt.want {
			t.Errorf("wholePercent(%d, %d) = %d, want %d", tt.part, tt.whole, got, tt.want)
		}
	}
}
