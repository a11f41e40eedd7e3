package opstap

import (
	"errors"
	"fmt"
)

// Error codes. They are stable: API clients switch on them, and one table in
// the HTTP layers maps each to a status.
const (
	EBADREQUEST   = "bad_request"            // malformed request (400)
	EUNAUTHORIZED = "unauthorized"           // no valid credentials (401)
	EFORBIDDEN    = "forbidden"              // authenticated but not allowed (403)
	ENOTFOUND     = "not_found"              // no such resource, or not visible to the caller (404)
	ECONFLICT     = "conflict"               // state conflict, e.g. duplicate (409)
	ETOOLARGE     = "too_large"              // request body or file above its limit (413)
	EUNSUPPORTED  = "unsupported_media_type" // body not sent in the expected media type (415)
	EINVALID      = "invalid"                // a field fails validation (422)
	ETOOMANY      = "too_many"               // throttled (429)
	EUNAVAILABLE  = "unavailable"            // a dependency such as the database is down (503)
	EINTERNAL     = "internal_error"         // a bug or an unexpected failure (500)
)

// Error is the application error. Message is a key into the message
// catalogue (internal/i18n) so each user reads it in their own language; Args
// fill its placeholders. Field names the offending input field, if any.
// Err is the cause, if any: it is never shown to users, but errors.Is and
// errors.As see it, so that a cancelled request stays recognisable as one
// after a layer turned its error into an application error.
type Error struct {
	Code    string
	Message string
	Field   string
	Args    []any
	Err     error
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("opstap: %s: %s (field %s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("opstap: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and message key.
func Errorf(code, message string, args ...any) *Error {
	return &Error{Code: code, Message: message, Args: args}
}

// FieldError returns an EINVALID error naming the field at fault.
func FieldError(field, message string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: message, Field: field, Args: args}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// RenameFields returns err with the fields named in names renamed, also
// inside joined errors: a rule names a field as its own type calls it, and
// the caller renames it to what its client sent (a registration's
// benefit_kind is a benefit's kind; a form's hourly_rate is hourly_rate_cents).
func RenameFields(err error, names map[string]string) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs := j.Unwrap()
		out := make([]error, len(errs))
		for i, e := range errs {
			out[i] = RenameFields(e, names)
		}
		return errors.Join(out...)
	}
	if e, ok := err.(*Error); ok && names[e.Field] != "" {
		c := *e
		c.Field = names[e.Field]
		return &c
	}
	return err
}
