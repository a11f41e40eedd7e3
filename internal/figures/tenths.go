package figures

import (
	"strconv"
	"strings"
)

// Tenths is a figure with one decimal, held as an integer number of tenths
// (402 is 40.2) so that it is computed and compared exactly.
type Tenths int64

// String writes the figure with a decimal point: "40.2".
func (t Tenths) String() string {
	return strconv.FormatInt(int64(t)/10, 10) + "." + strconv.FormatInt(int64(t)%10, 10)
}

// Dutch writes the figure with a decimal comma: "40,2".
func (t Tenths) Dutch() string { return strings.Replace(t.String(), ".", ",", 1) }

// MarshalJSON writes a JSON number with one decimal.
func (t Tenths) MarshalJSON() ([]byte, error) { return []byte(t.String()), nil }
