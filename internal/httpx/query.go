package httpx

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/opstap/opstap"
)

// MaxQueryValue is the most characters of any query parameter value.
const MaxQueryValue = 1000

// CheckQuery refuses a query string that cannot be client input worth
// reading: a value above MaxQueryValue characters, invalid UTF-8 or a NUL,
// naming the parameter (400).
func CheckQuery(r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return opstap.Errorf(opstap.EBADREQUEST, "the query string could not be read")
	}
	for name, vs := range q {
		for _, v := range vs {
			if err := checkTextValue(v, name, MaxQueryValue); err != nil {
				return &opstap.Error{Code: opstap.EBADREQUEST, Message: opstap.AsError(err).Message, Field: name, Args: opstap.AsError(err).Args}
			}
		}
	}
	return nil
}

// QueryInt reads the whole-number query parameter name: def when absent,
// else it must lie in [lo, hi] (400 naming the parameter otherwise), so
// that a typing error is not silently read as the default.
func QueryInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, &opstap.Error{Code: opstap.EBADREQUEST, Message: "a whole number from %d to %d is expected", Field: name, Args: []any{lo, hi}}
	}
	return n, nil
}

// QueryBool reads the boolean query parameter name: false when absent,
// "true" or "false" else (400 naming the parameter), so that a typing error
// is not silently read as false.
func QueryBool(r *http.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, &opstap.Error{Code: opstap.EBADREQUEST, Message: "true or false is expected", Field: name}
}

// QueryEnum reads the query parameter name, which must be absent or one of
// values (400 naming the parameter otherwise).
func QueryEnum[T ~string](r *http.Request, name string, values []T) (T, error) {
	s := T(r.URL.Query().Get(name))
	if s == "" || slices.Contains(values, s) {
		return s, nil
	}
	return "", &opstap.Error{Code: opstap.EBADREQUEST, Message: "not a valid value", Field: name}
}
