package store

import (
	"strings"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Limits of a search query (parameter q). Each word becomes one condition
// or one bound value, and the engines refuse a statement past their own
// limits with an error that would otherwise surface as a 500.
const (
	MaxSearchLength = 200
	MaxSearchWords  = 10
)

// checkSearch refuses a query above the limits, naming q.
func checkSearch(q string) error {
	if utf8.RuneCountInString(q) > MaxSearchLength {
		return &opstap.Error{Code: opstap.EBADREQUEST, Message: "search with at most %d characters", Field: "q", Args: []any{MaxSearchLength}}
	}
	if len(strings.Fields(q)) > MaxSearchWords {
		return &opstap.Error{Code: opstap.EBADREQUEST, Message: "search with at most %d words", Field: "q", Args: []any{MaxSearchWords}}
	}
	return nil
}
