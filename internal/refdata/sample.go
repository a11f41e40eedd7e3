package refdata

import "embed"

// Sample holds the demo's reference data, made by the project in the
// publishers' formats (sample/README.md names sources and licences).
//
//go:embed sample/occupations_sample.csv sample/postcodes_sample.txt sample/README.md
var Sample embed.FS

// The sample files in Sample.
const (
	SampleOccupations = "sample/occupations_sample.csv"
	SamplePostcodes   = "sample/postcodes_sample.txt"
)
