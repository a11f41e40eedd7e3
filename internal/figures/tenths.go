package figures

import (
	"strconv"
	"strings"
)

// Tenths is a figure with one decimal, held as an integer number of tenths
// (402 is 40.2) so that it is computed and compared exactly. The figures
// and the management reports (internal/mgmtreport) share it.
type Tenths int64

// String writes the figure with a decimal point: "40.2".
func (t Tenths) String() string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	return sign + strconv.FormatInt(int64(t)/10, 10) + "." + strconv.FormatInt(int64(t)%10, 10)
}

// Dutch writes the figure with a decimal comma: "40,2".
func (t Tenths) Dutch() string { return strings.Replace(t.String(), ".", ",", 1) }

// MarshalJSON writes a JSON number with one decimal.
func (t Tenths) MarshalJSON() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalJSON reads the number back (stored reports), to the nearest
// tenth.
func (t *Tenths) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	if f < 0 {
		*t = Tenths(f*10 - 0.5)
	} else {
		*t = Tenths(f*10 + 0.5)
	}
	return nil
}

// DaysPerMonth16 is the month of DOMAIN.md §6, 30.4375 days, times 16: a
// month is 487/16 days, so durations are computed in integers.
const DaysPerMonth16 = 487

// MonthTenths is days spread over n placements as months of DOMAIN.md §6
// (days ÷ 30.4375 ÷ n) in tenths, rounded half up; 0 when n is 0.
func MonthTenths(days, n int64) Tenths {
	if n <= 0 {
		return 0
	}
	return Tenths(roundDiv(days*16*10, DaysPerMonth16*n))
}
