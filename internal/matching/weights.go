package matching

import (
	"math"

	"github.com/opstap/opstap"
)

// Weights weigh the soft criteria; a municipality configures its own
// (issue 5 point 4). Only the ratios matter: a score is Σ wᵢ·sᵢ / Σ wᵢ.
type Weights struct {
	Occupation    float64 `json:"occupation" validate:"required,min=0,max=100"`
	Skills        float64 `json:"skills" validate:"required,min=0,max=100"`
	Experience    float64 `json:"experience" validate:"required,min=0,max=100"`
	Distance      float64 `json:"distance" validate:"required,min=0,max=100"`
	TimeOnBenefit float64 `json:"time_on_benefit" validate:"required,min=0,max=100"`
	Preference    float64 `json:"preference" validate:"required,min=0,max=100"`
}

// DefaultWeights are used where a municipality set none. Fit for the work
// weighs most (occupation and skills, 55 %); distance and time on benefit
// follow (15 % each: travel decides whether a placement lasts, and the
// municipality reports the share of candidates more than 1 and 3 years on
// benefit, DOMAIN.md §5, so it wants to reach them); experience 10 %; the
// candidate's own preference 5 %.
var DefaultWeights = Weights{
	Occupation:    0.30,
	Skills:        0.25,
	Experience:    0.10,
	Distance:      0.15,
	TimeOnBenefit: 0.15,
	Preference:    0.05,
}

// list returns the weights in criterion order with their JSON field names.
func (w Weights) list() [nCriteria]struct {
	name  string
	value float64
} {
	return [nCriteria]struct {
		name  string
		value float64
	}{
		{"occupation", w.Occupation}, {"skills", w.Skills}, {"experience", w.Experience},
		{"distance", w.Distance}, {"time_on_benefit", w.TimeOnBenefit}, {"preference", w.Preference},
	}
}

// Validate refuses negative or non-finite weights and an all-zero set,
// naming the field.
func (w Weights) Validate() error {
	sum := 0.0
	for _, f := range w.list() {
		if math.IsNaN(f.value) || math.IsInf(f.value, 0) {
			return opstap.FieldError("weights."+f.name, "a weight must be a number")
		}
		if f.value < 0 {
			return opstap.FieldError("weights."+f.name, "a weight cannot be negative")
		}
		sum += f.value
	}
	if sum <= 0 {
		return opstap.FieldError("weights", "at least one weight must be above zero")
	}
	return nil
}

// normalized returns the weights divided by their sum, in criterion order.
func (w Weights) normalized() [nCriteria]float64 {
	var n [nCriteria]float64
	sum := 0.0
	for _, f := range w.list() {
		sum += f.value
	}
	for i, f := range w.list() {
		n[i] = f.value / sum
	}
	return n
}
