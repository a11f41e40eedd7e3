package dossier

import (
	"slices"

	"github.com/opstap/opstap"
)

// Limitation is one work-relevant functional limitation. The list is fixed
// so that what others may see is a code, never a medical description
// [002 art 5.1].
type Limitation struct {
	Code  string `json:"code"`
	Label string `json:"label"` // English; internal/i18n has the Dutch
}

// LimitationList is every limitation code, in display order.
var LimitationList = []Limitation{
	{"no_heavy_lifting", "No heavy lifting"},
	{"no_night_shifts", "No night shifts"},
	{"limited_standing", "Limited standing"},
	{"limited_walking", "Limited walking"},
	{"no_driving", "No driving"},
	{"reduced_hours", "Reduced working hours"},
	{"quiet_environment", "Quiet working environment"},
	{"limited_screen_work", "Limited screen work"},
}

// LimitationCodes checks the codes the medical expert chose and returns
// them in list order without repeats, never nil; a code outside the list
// is refused, as it could only be a description.
func LimitationCodes(codes []string) ([]string, error) {
	out := []string{}
	for _, c := range codes {
		if !slices.ContainsFunc(LimitationList, func(x Limitation) bool { return x.Code == c }) {
			return nil, opstap.FieldError("codes", "unknown limitation")
		}
	}
	for _, x := range LimitationList {
		if slices.Contains(codes, x.Code) {
			out = append(out, x.Code)
		}
	}
	return out, nil
}
