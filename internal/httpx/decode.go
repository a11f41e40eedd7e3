package httpx

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

// Limits on request input. They are documented in docs/api.md and in the
// OpenAPI description; a field may declare a tighter or wider one with its
// `validate` tag.
const (
	// MaxJSONBody is the largest JSON request body.
	MaxJSONBody = 1 << 20
	// DefaultMaxText is the most characters of a text field that declares
	// no maximum of its own.
	DefaultMaxText = 1000
	// DefaultMaxItems is the most elements of a list or entries of an
	// object-valued map that declares no maximum of its own.
	DefaultMaxItems = 1000
	// DefaultMaxNumber bounds (±) a fractional number that declares no
	// range of its own.
	DefaultMaxNumber = 1e9
)

// Field rules are declared on request structs with a `validate` tag, a
// comma-separated list of:
//
//	required  the field must be present and not null (booleans included:
//	          a missing "given" must never read as false)
//	max=N     text: at most N characters (each element of a text list);
//	          numbers: at most N
//	min=N     numbers: at least N
//	items=N   lists and maps: at most N elements
//
// Why a tag and not pointers everywhere: the same structs are the domain's
// values, and the rules belong beside the field the client sends.
type rule struct {
	required bool
	lenient  bool // CheckLimits: required fields are not checked, here and below
	max, min *float64
	items    int
}

func parseRule(tag string) rule {
	var r rule
	for _, part := range strings.Split(tag, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "required":
			r.required = true
		case "max", "min":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				panic("httpx: bad validate tag " + strconv.Quote(tag))
			}
			if k == "max" {
				r.max = &f
			} else {
				r.min = &f
			}
		case "items":
			n, err := strconv.Atoi(v)
			if err != nil {
				panic("httpx: bad validate tag " + strconv.Quote(tag))
			}
			r.items = n
		case "":
		default:
			panic("httpx: unknown validate rule " + strconv.Quote(k))
		}
	}
	return r
}

// DecodeJSON reads a JSON request body into v (a pointer). It answers 415
// unless the body is sent as application/json (UTF-8), 413 above
// MaxJSONBody, and otherwise applies Unmarshal's rules.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	body, err := ReadBody(w, r, MaxJSONBody)
	if err != nil {
		return err
	}
	return Unmarshal(body, v)
}

func requireJSON(r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return opstap.Errorf(opstap.EUNSUPPORTED, "send the body as application/json")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return opstap.Errorf(opstap.EUNSUPPORTED, "send the body as application/json")
	}
	return nil
}

// ReadBody reads the whole request body, refusing with 413 a body above
// limit bytes (at once when Content-Length says so, else after limit bytes).
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, TooLarge("", limit)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if IsTooLarge(err) {
			return nil, TooLarge("", limit)
		}
		return nil, opstap.Errorf(opstap.EBADREQUEST, "the request body could not be read")
	}
	return b, nil
}

// IsTooLarge reports whether err comes from a body cut off by
// http.MaxBytesReader.
func IsTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// TooLarge is the 413 error for a body (field "") or a file above limit
// bytes.
func TooLarge(field string, limit int64) error {
	switch {
	case field != "":
		return &opstap.Error{Code: opstap.ETOOLARGE, Message: "the file is larger than %d MiB", Field: field, Args: []any{limit >> 20}}
	case limit >= 1<<20:
		return &opstap.Error{Code: opstap.ETOOLARGE, Message: "the request is larger than %d MiB", Args: []any{limit >> 20}}
	}
	return &opstap.Error{Code: opstap.ETOOLARGE, Message: "the request is larger than %d KiB", Args: []any{limit >> 10}}
}

// Unmarshal decodes one JSON value from body into v (a pointer) under the
// API's rules: exactly one value, no null body, no unknown or repeated
// fields, text valid UTF-8 without NUL and within its maximum, numbers
// finite and within their range, values of types with their own decoding
// (dates, amounts) valid, and every required field present. The first
// offending field is named; nothing is written to v unless all is well.
func Unmarshal(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if err == io.EOF {
			return opstap.Errorf(opstap.EBADREQUEST, "the request body is empty")
		}
		return notJSON(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return opstap.Errorf(opstap.EBADREQUEST, "the request body holds more than one JSON value")
	}
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		panic("httpx: Unmarshal needs a pointer")
	}
	if isNull(raw) {
		return opstap.Errorf(opstap.EBADREQUEST, "the request body must not be null")
	}
	if err := check(raw, t.Elem(), "", rule{}); err != nil {
		return err
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		// check accepted the value, so this is a type whose own decoding
		// check could not foresee; still the caller's input.
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return wrongType(ute.Field)
		}
		return notJSON(err)
	}
	return nil
}

func notJSON(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) {
		return opstap.Errorf(opstap.EBADREQUEST, "request body is not valid JSON")
	}
	if e := opstap.AsError(err); e != nil {
		return e
	}
	return opstap.Errorf(opstap.EBADREQUEST, "request body is not valid JSON")
}

func wrongType(field string) error {
	return &opstap.Error{Code: opstap.EBADREQUEST, Message: "field has the wrong type", Field: field}
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	timeType            = reflect.TypeFor[time.Time]()
)

// check validates raw as a value of type t at path (the field's name as the
// client wrote it: "grants[1].role").
func check(raw []byte, t reflect.Type, path string, ru rule) error {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		if ru.required && !ru.lenient {
			return missing(path)
		}
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || t.Kind() == reflect.Interface {
		return checkAny(raw, path, ru)
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(unmarshalerType) || (pt.Implements(textUnmarshalerType) && t.Kind() != reflect.String) {
		if err := checkAny(raw, path, ru); err != nil {
			return err
		}
		return ownDecoding(raw, t, path)
	}
	switch t.Kind() {
	case reflect.String:
		return checkText(raw, path, ru)
	case reflect.Bool:
		if s := string(raw); s != "true" && s != "false" {
			return wrongType(path)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return checkNumber(raw, t, path, ru)
	case reflect.Slice, reflect.Array:
		if raw[0] != '[' {
			return wrongType(path)
		}
		n := 0
		return eachElement(raw, func(el []byte) error {
			if n++; n > maxItems(ru) {
				return tooMany(path, maxItems(ru))
			}
			return check(el, t.Elem(), path+"["+strconv.Itoa(n-1)+"]", rule{max: ru.max, min: ru.min, required: t.Elem().Kind() != reflect.Pointer, lenient: ru.lenient})
		})
	case reflect.Map:
		if raw[0] != '{' {
			return wrongType(path)
		}
		n := 0
		return eachMember(raw, path, func(key string, val []byte) error {
			if n++; n > maxItems(ru) {
				return tooMany(path, maxItems(ru))
			}
			if err := checkTextValue(key, join(path, key), DefaultMaxText); err != nil {
				return err
			}
			return check(val, t.Elem(), join(path, key), rule{max: ru.max, min: ru.min, lenient: ru.lenient})
		})
	case reflect.Struct:
		return checkStruct(raw, t, path, ru.lenient)
	}
	return nil
}

func checkStruct(raw []byte, t reflect.Type, path string, lenient bool) error {
	if raw[0] != '{' {
		if path == "" {
			return opstap.Errorf(opstap.EBADREQUEST, "the request body must be a JSON object")
		}
		return wrongType(path)
	}
	info := structOf(t)
	seen := make(map[string]bool, len(info.fields))
	err := eachMember(raw, path, func(key string, val []byte) error {
		f, ok := info.byName[key]
		if !ok {
			// encoding/json matches names case-insensitively; this API
			// does not, so that one field has one spelling.
			return &opstap.Error{Code: opstap.EBADREQUEST, Message: "unknown field", Field: join(path, key)}
		}
		if seen[key] {
			return &opstap.Error{Code: opstap.EBADREQUEST, Message: "the field appears more than once", Field: join(path, key)}
		}
		seen[key] = true
		ru := f.rule
		ru.lenient = lenient
		return check(val, f.typ, join(path, key), ru)
	})
	if err != nil || lenient {
		return err
	}
	for _, f := range info.fields {
		if f.rule.required && !seen[f.name] {
			return missing(join(path, f.name))
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func missing(field string) error {
	return &opstap.Error{Code: opstap.EINVALID, Message: "this field is required", Field: field}
}

func tooMany(field string, n int) error {
	return &opstap.Error{Code: opstap.EINVALID, Message: "at most %d items", Field: field, Args: []any{n}}
}

func maxItems(ru rule) int {
	if ru.items > 0 {
		return ru.items
	}
	return DefaultMaxItems
}

// checkText validates a JSON string literal: UTF-8 as sent (the decoder
// would silently swap bad bytes for U+FFFD), no NUL, within the maximum.
func checkText(raw []byte, path string, ru rule) error {
	if raw[0] != '"' {
		return wrongType(path)
	}
	if !utf8.Valid(raw) {
		return &opstap.Error{Code: opstap.EBADREQUEST, Message: "the text is not valid UTF-8", Field: path}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return notJSON(err)
	}
	// A lone surrogate escape (\ud800) also decodes to U+FFFD.
	if strings.ContainsRune(s, utf8.RuneError) && !bytes.Contains(raw, []byte("\uFFFD")) && !bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`)) {
		return &opstap.Error{Code: opstap.EBADREQUEST, Message: "the text is not valid UTF-8", Field: path}
	}
	limit := DefaultMaxText
	if ru.max != nil {
		limit = int(*ru.max)
	}
	return checkTextValue(s, path, limit)
}

func checkTextValue(s, path string, limit int) error {
	if !utf8.ValidString(s) {
		return &opstap.Error{Code: opstap.EBADREQUEST, Message: "the text is not valid UTF-8", Field: path}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return &opstap.Error{Code: opstap.EBADREQUEST, Message: "the text contains a NUL character", Field: path}
	}
	if utf8.RuneCountInString(s) > limit {
		return &opstap.Error{Code: opstap.EINVALID, Message: "at most %d characters", Field: path, Args: []any{limit}}
	}
	return nil
}

func checkNumber(raw []byte, t reflect.Type, path string, ru rule) error {
	if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		return wrongType(path)
	}
	lo, hi := numberRange(t, ru)
	var f float64
	var err error
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		f, err = strconv.ParseFloat(string(raw), 64)
	default:
		if bytes.ContainsAny(raw, ".eE") {
			if f, err := strconv.ParseFloat(string(raw), 64); err != nil || f < lo || f > hi {
				return outOfRange(path, lo, hi)
			}
			return &opstap.Error{Code: opstap.EBADREQUEST, Message: "a whole number is expected", Field: path}
		}
		var n int64
		if n, err = strconv.ParseInt(string(raw), 10, 64); err == nil {
			f = float64(n)
		} else if u, uerr := strconv.ParseUint(string(raw), 10, 64); uerr == nil && t.Kind() >= reflect.Uint {
			f, err = float64(u), nil
		}
	}
	if err != nil || math.IsInf(f, 0) || f < lo || f > hi {
		return outOfRange(path, lo, hi)
	}
	return nil
}

// numberRange is the declared range, else the type's own (floats: ±DefaultMaxNumber).
func numberRange(t reflect.Type, ru rule) (lo, hi float64) {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		lo, hi = -DefaultMaxNumber, DefaultMaxNumber
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		lo, hi = 0, math.Ldexp(1, t.Bits())-1
	default:
		lo, hi = -math.Ldexp(1, t.Bits()-1), math.Ldexp(1, t.Bits()-1)-1
	}
	if ru.min != nil {
		lo = *ru.min
	}
	if ru.max != nil {
		hi = *ru.max
	}
	return lo, hi
}

func outOfRange(path string, lo, hi float64) error {
	return &opstap.Error{Code: opstap.EINVALID, Message: "a number from %s to %s is expected", Field: path,
		Args: []any{strconv.FormatFloat(lo, 'f', -1, 64), strconv.FormatFloat(hi, 'f', -1, 64)}}
}

// checkAny validates a value of no declared shape: every text in it.
func checkAny(raw []byte, path string, ru rule) error {
	switch raw[0] {
	case '"':
		return checkText(raw, path, ru)
	case '[':
		i := 0
		return eachElement(raw, func(el []byte) error {
			i++
			return checkAny(bytes.TrimSpace(el), path+"["+strconv.Itoa(i-1)+"]", rule{})
		})
	case '{':
		return eachMember(raw, path, func(key string, val []byte) error {
			if err := checkTextValue(key, join(path, key), DefaultMaxText); err != nil {
				return err
			}
			return checkAny(bytes.TrimSpace(val), join(path, key), rule{})
		})
	case 't', 'f', 'n':
		return nil
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsInf(f, 0) {
		return outOfRange(path, -math.MaxFloat64, math.MaxFloat64)
	}
	return nil
}

// ownDecoding runs a type's own JSON decoding (dates, amounts, times) on
// raw and names the field when it refuses.
func ownDecoding(raw []byte, t reflect.Type, path string) error {
	err := json.Unmarshal(raw, reflect.New(t).Interface())
	if err == nil {
		return nil
	}
	if e := opstap.AsError(err); e != nil {
		c := *e
		if c.Field == "" {
			c.Field = path
		} else if path != "" && !strings.HasPrefix(c.Field, path) {
			c.Field = join(path, c.Field)
		}
		return &c
	}
	var ute *json.UnmarshalTypeError
	switch {
	case errors.As(err, &ute):
		return wrongType(path)
	case t == timeType:
		return &opstap.Error{Code: opstap.EINVALID, Message: "not a valid time (RFC 3339)", Field: path}
	}
	return &opstap.Error{Code: opstap.EINVALID, Message: "not a valid value", Field: path}
}

// eachElement calls fn with the raw text of each element of a JSON array.
func eachElement(raw []byte, fn func([]byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return notJSON(err)
	}
	for dec.More() {
		var el json.RawMessage
		if err := dec.Decode(&el); err != nil {
			return notJSON(err)
		}
		if err := fn(el); err != nil {
			return err
		}
	}
	return nil
}

// eachMember calls fn with each key and raw value of a JSON object, in
// order. Keys are checked as text.
func eachMember(raw []byte, path string, fn func(string, []byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return notJSON(err)
	}
	for dec.More() {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return notJSON(err)
		}
		key, _ := tok.(string)
		if !utf8.Valid(raw[start:dec.InputOffset()]) {
			return &opstap.Error{Code: opstap.EBADREQUEST, Message: "the text is not valid UTF-8", Field: path}
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return notJSON(err)
		}
		if err := fn(key, val); err != nil {
			return err
		}
	}
	return nil
}

// fieldInfo is one JSON field of a request struct.
type fieldInfo struct {
	name string
	typ  reflect.Type
	rule rule
}

type structInfo struct {
	fields []fieldInfo
	byName map[string]fieldInfo
}

var structCache sync.Map // reflect.Type → *structInfo

// structOf lists t's JSON fields as encoding/json sees them: exported,
// named by the json tag, embedded structs flattened, "-" left out.
func structOf(t reflect.Type) *structInfo {
	if s, ok := structCache.Load(t); ok {
		return s.(*structInfo)
	}
	info := &structInfo{byName: map[string]fieldInfo{}}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if sf.Anonymous && name == "" {
				et := sf.Type
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					walk(et)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if _, dup := info.byName[name]; dup {
				continue
			}
			f := fieldInfo{name: name, typ: sf.Type, rule: parseRule(sf.Tag.Get("validate"))}
			info.fields = append(info.fields, f)
			info.byName[name] = f
		}
	}
	walk(t)
	structCache.Store(t, info)
	return info
}

// Fields describes t's JSON fields and their rules, for the tests that
// keep the OpenAPI document true to the decoder.
type Field struct {
	Name     string
	Type     reflect.Type
	Required bool
	Max, Min *float64
	Items    int
}

// FieldsOf returns the JSON fields of struct type t with their rules.
func FieldsOf(t reflect.Type) []Field {
	var fs []Field
	for _, f := range structOf(t).fields {
		fs = append(fs, Field{Name: f.name, Type: f.typ, Required: f.rule.required, Max: f.rule.max, Min: f.rule.min, Items: f.rule.items})
	}
	return fs
}
