package refdata

import (
	"math"
	"strings"
)

// The ISCO-08 hierarchy is written in its codes' digits: "2" is a major
// group, "26" a sub-major group, "265" a minor group and "2654" a unit group.
// ESCO hangs its occupations below the unit groups and writes their codes as
// the unit group followed by dotted levels: "2654.1" and, narrower still,
// "2654.1.7".

// ValidISCO reports whether s is an ISCO-08 group code of one to four
// digits.
func ValidISCO(s string) bool { return len(s) >= 1 && len(s) <= 4 && digits(s, len(s)) }

// ISCOGroups returns the ISCO-08 groups that contain the occupation or group
// with code c (an ISCO code or an ESCO code), from the major group down to
// the unit group: ISCOGroups("2654.1.7") is ["2", "26", "265", "2654"]. It
// returns nil for a code that is neither.
func ISCOGroups(c string) []string {
	isco, _, _ := strings.Cut(c, ".")
	if !ValidISCO(isco) || (isco != c && (len(isco) != 4 || !validESCOCode(c, isco))) {
		return nil
	}
	out := make([]string, len(isco))
	for i := range out {
		out[i] = isco[:i+1]
	}
	return out
}

// The relatedness of two occupations, by the narrowest group they share.
const (
	RelSame     = 1.0  // the same occupation (or the same ISCO group)
	RelESCO     = 0.85 // one ESCO occupation is a narrower form of the other ("2654.1" and "2654.1.7")
	RelUnit     = 0.7  // the same ISCO-08 unit group (4 digits)
	RelMinor    = 0.4  // the same minor group (3 digits)
	RelSubMajor = 0.2  // the same sub-major group (2 digits)
)

// Relatedness scores how close two occupations are, for matching a
// candidate's occupations to an assignment's: 1 for the same code, 0.85 when
// one ESCO occupation lies below the other, 0.7 in the same ISCO-08 unit
// group, 0.4 in the same minor group, 0.2 in the same sub-major group, and 0
// otherwise — also for a malformed code. Sharing only the major group (say
// all of "9 Elementary occupations") says too little about the work to count.
// The steps fall off fast on purpose: an order picker (9333.8.1) and a
// removal worker (9333.4) share a unit group and much of the work; a kitchen
// help (9412) and a street sweeper (9613) share only the major group.
//
// Codes are ESCO codes or ISCO-08 group codes of any level; an ISCO group
// compares as the group, so "9412" and "9412.1" share the unit group (0.7)
// and "941" and "9412.1" the minor group (0.4). Relatedness is symmetric.
func Relatedness(a, b string) float64 {
	ga, gb := ISCOGroups(a), ISCOGroups(b)
	if ga == nil || gb == nil {
		return 0
	}
	if a == b {
		return RelSame
	}
	shared := 0
	for shared < len(ga) && shared < len(gb) && ga[shared] == gb[shared] {
		shared++
	}
	full := len(ga) == 4 && len(gb) == 4
	switch {
	case full && shared == 4 && escoBelow(a, b):
		return RelESCO
	case full && shared == 4:
		return RelUnit
	case shared == 3 && len(ga) >= 3 && len(gb) >= 3:
		return RelMinor
	case shared == 2 && len(ga) >= 2 && len(gb) >= 2:
		return RelSubMajor
	}
	return 0
}

// escoBelow reports whether one of two distinct ESCO codes of the same unit
// group lies below the other. A bare unit group is no ESCO occupation.
func escoBelow(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.Contains(a, ".") && strings.HasPrefix(b, a+".")
}

// earthRadiusKm is the mean radius of the Earth (IUGG).
const earthRadiusKm = 6371.0088

// Distance returns the great-circle distance in kilometres between two
// points given in degrees (the haversine formula). Over the Netherlands it
// is within 0.5 % of the distance on the ellipsoid, which is far finer than
// a 4-digit postcode's centre says where someone lives.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}
