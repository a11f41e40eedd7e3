package refdata_test

import (
	"math"
	"testing"

	"github.com/opstap/opstap/internal/refdata"
)

func TestRelatedness(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		want float64
	}{
		{"same ESCO occupation", "9333.8.1", "9333.8.1", 1},
		{"same ISCO group", "9412", "9412", 1},
		{"narrower ESCO occupation", "9333.8", "9333.8.1", 0.85},
		{"narrower, other order", "9333.8.1", "9333.8", 0.85},
		{"same unit group: order picker and removal worker", "9333.8.1", "9333.4", 0.7},
		{"unit group against its occupation", "9412", "9412.1", 0.7},
		{"not below: 9333.1 and 9333.10", "9333.1", "9333.10", 0.7},
		{"same minor group: refuse collector and street sweeper", "9611.1", "9613.1", 0.4},
		{"minor group against an occupation in it", "961", "9611.1", 0.4},
		{"same sub-major group: building cleaner and domestic cleaner", "9112.2", "9111.1", 0.4},
		{"same sub-major group: kitchen help and street sweeper", "9412.1", "9613.1", 0},
		{"sub-major only: cleaner and vehicle cleaner", "9112.2", "9122.1", 0.2},
		{"major group only: 2-digit and 1-digit", "94", "9", 0},
		{"different major groups", "5230.1", "9412.1", 0},
		{"malformed", "94x2", "94x2", 0},
		{"empty", "", "", 0},
		{"malformed ESCO code", "9412..1", "9412.1", 0},
		{"five-digit group", "94121", "9412", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := refdata.Relatedness(c.a, c.b); got != c.want {
				t.Errorf("Relatedness(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
			}
			if got := refdata.Relatedness(c.b, c.a); got != c.want {
				t.Errorf("not symmetric: Relatedness(%q, %q) = %v", c.b, c.a, got)
			}
		})
	}
}

func TestISCOGroups(t *testing.T) {
	got := refdata.ISCOGroups("2654.1.7")
	if len(got) != 4 || got[0] != "2" || got[1] != "26" || got[2] != "265" || got[3] != "2654" {
		t.Errorf("ISCOGroups = %v", got)
	}
	if got := refdata.ISCOGroups("265"); len(got) != 3 {
		t.Errorf("ISCOGroups(265) = %v", got)
	}
	for _, bad := range []string{"", "26a", "265.1", "2654.", "12345"} {
		if got := refdata.ISCOGroups(bad); got != nil {
			t.Errorf("ISCOGroups(%q) = %v, want nil", bad, got)
		}
	}
}

func TestDistance(t *testing.T) {
	cases := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tolerance        float64
	}{
		{"same point", 52.37, 5.21, 52.37, 5.21, 0, 1e-9},
		// Almere Stad (1315) to Lelystad centre (8232): about 26 km as the crow flies.
		{"Almere to Lelystad", 52.3746, 5.2139, 52.5185, 5.4714, 23.9, 0.5},
		// One degree of latitude is 111.2 km on the mean sphere.
		{"one degree north", 52, 5, 53, 5, 111.195, 0.01},
		{"antipodes", 0, 0, 0, 180, math.Pi * 6371.0088, 1e-6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := refdata.Distance(c.lat1, c.lon1, c.lat2, c.lon2)
			if math.Abs(got-c.want) > c.tolerance {
				t.Errorf("Distance = %.3f km, want %.3f ± %g", got, c.want, c.tolerance)
			}
			if back := refdata.Distance(c.lat2, c.lon2, c.lat1, c.lon1); math.Abs(back-got) > 1e-9 {
				t.Errorf("not symmetric: %v and %v", got, back)
			}
		})
	}
}
