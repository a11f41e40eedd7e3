package chart

import "testing"

func TestNiceScale(t *testing.T) {
	tests := []struct {
		top, max, step float64
	}{
		{0, 4, 1},
		{1, 1, 0.5},
		{3, 3, 1},
		{7, 8, 2},
		{12, 15, 5},
		{84.6, 100, 50},
		{107, 150, 50},
		{288, 300, 100},
		{0.4, 0.4, 0.1},
	}
	for _, tt := range tests {
		if max, step := niceScale(tt.top); max != tt.max || step != tt.step {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", tt.top, max, step, tt.max, tt.step)
		}
	}
}

func TestBars(t *testing.T) {
	c := Bars([]Point{{"jan", 2, "2"}, {"feb", 0, "0"}, {"mrt", 8, "8"}, {"apr", 5, "5"}}, true)
	// Scale 0–8 in steps of 2: five ticks; the plot is 192 high, 588 wide (147 a slot, bars 88.2).
	if len(c.Ticks) != 5 || c.Ticks[0].Y != c.Bottom || c.Ticks[4].Y != c.Top || c.Ticks[4].Text != "8" {
		t.Fatalf("ticks %+v", c.Ticks)
	}
	if len(c.Bars) != 4 || c.Bars[2].H != c.Bottom-c.Top || c.Bars[1].H != 0 || c.Bars[0].H != 48 || c.Bars[3].Y != c.Bottom-120 {
		t.Fatalf("bars %+v", c.Bars)
	}
	if c.Bars[0].X != c.Left+(147-88.2)/2 || c.Bars[0].CX != c.Bars[0].X+c.Bars[0].W/2 {
		t.Fatalf("first bar %+v", c.Bars[0])
	}
	if d := Bars([]Point{{"jan", 0.3, "0,3"}}, true); d.Ticks[1].Text != "0,1" {
		t.Fatalf("decimal ticks %+v", d.Ticks)
	}
	if d := Bars([]Point{{"jan", 0.3, "0.3"}}, false); d.Ticks[1].Text != "0.1" {
		t.Fatalf("decimal point ticks %+v", d.Ticks)
	}
	if e := Bars(nil, false); len(e.Bars) != 0 || len(e.Ticks) != 5 {
		t.Fatalf("empty %+v", e)
	}
}
