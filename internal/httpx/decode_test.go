package httpx

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
)

type inner struct {
	Code string `json:"code" validate:"required,max=4"`
}

type embedded struct {
	Note string `json:"note"`
}

type sample struct {
	Name    string            `json:"name" validate:"required,max=10"`
	Given   *bool             `json:"given" validate:"required"`
	On      bool              `json:"on"`
	Weight  float64           `json:"weight" validate:"min=0,max=100"`
	Count   int               `json:"count"`
	Small   int8              `json:"small"`
	Born    opstap.Date       `json:"born"`
	At      time.Time         `json:"at"`
	Tags    []string          `json:"tags" validate:"max=3,items=2"`
	Inner   []inner           `json:"inner"`
	Hours   map[string]int    `json:"hours" validate:"max=24"`
	Extra   json.RawMessage   `json:"extra"`
	Ignored string            `json:"-"`
	Labels  map[string]string `json:"labels"`
	embedded
}

func TestUnmarshal(t *testing.T) {
	long := strings.Repeat("é", 1001)
	tests := []struct {
		name, body   string
		code, field  string
		wantMessage  string
		wantNameSet  string
		wantEmbedded string
	}{
		{name: "valid", body: `{"name":"Fenna","given":false,"note":"x"}`, wantNameSet: "Fenna", wantEmbedded: "x"},
		{name: "empty", body: ``, code: opstap.EBADREQUEST},
		{name: "not json", body: `{`, code: opstap.EBADREQUEST},
		{name: "null body", body: `null`, code: opstap.EBADREQUEST},
		{name: "array body", body: `[]`, code: opstap.EBADREQUEST},
		{name: "trailing data", body: `{"name":"a","given":true} x`, code: opstap.EBADREQUEST},
		{name: "two values", body: `{"name":"a","given":true}{"name":"b","given":true}`, code: opstap.EBADREQUEST},
		{name: "empty object", body: `{}`, code: opstap.EINVALID, field: "name"},
		{name: "missing boolean", body: `{"name":"a"}`, code: opstap.EINVALID, field: "given"},
		{name: "null required", body: `{"name":"a","given":null}`, code: opstap.EINVALID, field: "given"},
		{name: "unknown field", body: `{"name":"a","given":true,"colour":1}`, code: opstap.EBADREQUEST, field: "colour"},
		{name: "field name in other case", body: `{"Name":"a","given":true}`, code: opstap.EBADREQUEST, field: "Name"},
		{name: "ignored field", body: `{"name":"a","given":true,"Ignored":"x"}`, code: opstap.EBADREQUEST, field: "Ignored"},
		{name: "repeated field", body: `{"name":"a","name":"b","given":true}`, code: opstap.EBADREQUEST, field: "name"},
		{name: "wrong type", body: `{"name":1,"given":true}`, code: opstap.EBADREQUEST, field: "name"},
		{name: "bool as string", body: `{"name":"a","given":"true"}`, code: opstap.EBADREQUEST, field: "given"},
		{name: "invalid utf-8", body: "{\"name\":\"a\xff\",\"given\":true}", code: opstap.EBADREQUEST, field: "name"},
		{name: "invalid utf-8 in raw", body: "{\"name\":\"a\",\"given\":true,\"extra\":{\"k\":\"\xc3\"}}", code: opstap.EBADREQUEST, field: "extra.k"},
		{name: "lone surrogate", body: `{"name":"a\ud800","given":true}`, code: opstap.EBADREQUEST, field: "name"},
		{name: "replacement character sent as such", body: `{"name":"a\ufffd","given":true}`, wantNameSet: "a\uFFFD"},
		{name: "NUL", body: `{"name":"a\u0000","given":true}`, code: opstap.EBADREQUEST, field: "name"},
		{name: "NUL in map key", body: `{"name":"a","given":true,"labels":{"a\u0000":"b"}}`, code: opstap.EBADREQUEST, field: "labels.a\x00"},
		{name: "too long", body: `{"name":"abcdefghijk","given":true}`, code: opstap.EINVALID, field: "name"},
		{name: "ten characters of two bytes fit", body: `{"name":"éééééééééé","given":true}`, wantNameSet: "éééééééééé"},
		{name: "default maximum", body: `{"name":"a","given":true,"note":"` + long + `"}`, code: opstap.EINVALID, field: "note"},
		{name: "default maximum in map value", body: `{"name":"a","given":true,"labels":{"k":"` + long + `"}}`, code: opstap.EINVALID, field: "labels.k"},
		{name: "element too long", body: `{"name":"a","given":true,"tags":["abcd"]}`, code: opstap.EINVALID, field: "tags[0]"},
		{name: "too many elements", body: `{"name":"a","given":true,"tags":["a","b","c"]}`, code: opstap.EINVALID, field: "tags"},
		{name: "null element", body: `{"name":"a","given":true,"tags":[null]}`, code: opstap.EINVALID, field: "tags[0]"},
		{name: "nested required", body: `{"name":"a","given":true,"inner":[{"code":"x"},{}]}`, code: opstap.EINVALID, field: "inner[1].code"},
		{name: "nested unknown", body: `{"name":"a","given":true,"inner":[{"code":"x","y":1}]}`, code: opstap.EBADREQUEST, field: "inner[0].y"},
		{name: "huge number", body: `{"name":"a","given":true,"weight":1e308}`, code: opstap.EINVALID, field: "weight"},
		{name: "negative number", body: `{"name":"a","given":true,"weight":-1}`, code: opstap.EINVALID, field: "weight"},
		{name: "overflowing number", body: `{"name":"a","given":true,"weight":1e999}`, code: opstap.EINVALID, field: "weight"},
		{name: "int overflow", body: `{"name":"a","given":true,"count":9223372036854775808}`, code: opstap.EINVALID, field: "count"},
		{name: "int8 overflow", body: `{"name":"a","given":true,"small":128}`, code: opstap.EINVALID, field: "small"},
		{name: "fraction for int", body: `{"name":"a","given":true,"count":1.5}`, code: opstap.EBADREQUEST, field: "count"},
		{name: "huge exponent for int", body: `{"name":"a","given":true,"count":1e308}`, code: opstap.EINVALID, field: "count"},
		{name: "exponent for int", body: `{"name":"a","given":true,"count":1e2}`, code: opstap.EBADREQUEST, field: "count"},
		{name: "map value range", body: `{"name":"a","given":true,"hours":{"monday":25}}`, code: opstap.EINVALID, field: "hours.monday"},
		{name: "impossible date", body: `{"name":"a","given":true,"born":"2026-02-30"}`, code: opstap.EINVALID, field: "born"},
		{name: "no leap day", body: `{"name":"a","given":true,"born":"2025-02-29"}`, code: opstap.EINVALID, field: "born"},
		{name: "impossible Dutch date", body: `{"name":"a","given":true,"born":"30-02-2026"}`, code: opstap.EINVALID, field: "born"},
		{name: "year zero", body: `{"name":"a","given":true,"born":"0000-01-01"}`, code: opstap.EINVALID, field: "born", wantMessage: "not a valid date (use YYYY-MM-DD or DD-MM-YYYY)"},
		{name: "date of wrong type", body: `{"name":"a","given":true,"born":20260101}`, code: opstap.EINVALID, field: "born"},
		{name: "bad time", body: `{"name":"a","given":true,"at":"tomorrow"}`, code: opstap.EINVALID, field: "at", wantMessage: "not a valid time (RFC 3339)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v sample
			err := Unmarshal([]byte(tt.body), &v)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if v.Name != tt.wantNameSet || v.Note != tt.wantEmbedded {
					t.Fatalf("decoded %+v", v)
				}
				return
			}
			e := opstap.AsError(err)
			if e == nil || e.Code != tt.code || e.Field != tt.field {
				t.Fatalf("got %v, want %s on %q", err, tt.code, tt.field)
			}
			if tt.wantMessage != "" && e.Message != tt.wantMessage {
				t.Fatalf("message %q", e.Message)
			}
			if v.Name != "" || v.Given != nil {
				t.Fatalf("a refused body was partly decoded: %+v", v)
			}
		})
	}
}

func TestUnmarshalRawBody(t *testing.T) {
	var raw json.RawMessage
	if err := Unmarshal([]byte(`null`), &raw); opstap.ErrorCode(err) != opstap.EBADREQUEST {
		t.Fatalf("null raw body: %v", err)
	}
	if err := Unmarshal([]byte(`{"a":["ok",1e400]}`), &raw); opstap.AsError(err) == nil || opstap.AsError(err).Field != "a[1]" {
		t.Fatalf("huge number in a raw body: %v", err)
	}
	if err := Unmarshal([]byte(`{"a":["ok",1]}`), &raw); err != nil || string(raw) != `{"a":["ok",1]}` {
		t.Fatalf("raw body: %v %s", err, raw)
	}
}

func TestDecodeJSONMediaTypeAndSize(t *testing.T) {
	tests := []struct {
		name, ctype, body string
		status            int
	}{
		{"json", "application/json", `{"name":"a","given":true}`, 0},
		{"json utf-8", "application/json; charset=UTF-8", `{"name":"a","given":true}`, 0},
		{"no type", "", `{"name":"a","given":true}`, http.StatusUnsupportedMediaType},
		{"form", "application/x-www-form-urlencoded", `{"name":"a","given":true}`, http.StatusUnsupportedMediaType},
		{"text", "text/plain", `{"name":"a","given":true}`, http.StatusUnsupportedMediaType},
		{"latin-1", "application/json; charset=iso-8859-1", `{"name":"a","given":true}`, http.StatusUnsupportedMediaType},
		{"too large", "application/json", `{"name":"` + strings.Repeat("a", MaxJSONBody) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.ctype)
			var v sample
			err := DecodeJSON(httptest.NewRecorder(), r, &v)
			if tt.status == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if Status(err) != tt.status {
				t.Fatalf("status %d (%v), want %d", Status(err), err, tt.status)
			}
			// Without Content-Length the limit still holds while reading.
			r = httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.ContentLength = -1
			r.Header.Set("Content-Type", tt.ctype)
			if err := DecodeJSON(httptest.NewRecorder(), r, &v); Status(err) != tt.status {
				t.Fatalf("streamed: status %d (%v), want %d", Status(err), err, tt.status)
			}
		})
	}
}

func TestQueryInt(t *testing.T) {
	for q, want := range map[string]int{"": 7, "k=1": 1, "k=50": 50, "k=0": -1, "k=51": -1, "k=abc": -1, "k=1.5": -1, "k=99999999999999999999": -1} {
		r := httptest.NewRequest("GET", "/?"+q, nil)
		n, err := QueryInt(r, "k", 7, 1, 50)
		if want < 0 {
			if e := opstap.AsError(err); e == nil || e.Field != "k" || Status(err) != 400 {
				t.Errorf("%s: %d, %v", q, n, err)
			}
		} else if err != nil || n != want {
			t.Errorf("%s: %d, %v", q, n, err)
		}
	}
}

func TestCheckQuery(t *testing.T) {
	for q, field := range map[string]string{"q=abc": "", "q=" + strings.Repeat("a", MaxQueryValue+1): "q", "reason=%00": "reason", "x=%ff": "x", "a=%zz": ""} {
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.RawQuery = q
		err := CheckQuery(r)
		if field == "" && q != "a=%zz" {
			if err != nil {
				t.Errorf("%.20s: %v", q, err)
			}
			continue
		}
		if e := opstap.AsError(err); e == nil || e.Field != field || Status(err) != 400 {
			t.Errorf("%.20s: %v", q, err)
		}
	}
}

// FuzzUnmarshal: the decoder never panics, and what it accepts holds only
// valid UTF-8 without NUL within each field's maximum, numbers within
// range, and every required field.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{`{"name":"a","given":true}`, `{"name":"a","given":false,"tags":["x"],"inner":[{"code":"c"}],"hours":{"m":8},"born":"2026-01-05","extra":{"k":[1,"x"]}}`, `null`, `{}`, `[]`, `{"name":"\ud800"}`, `{"weight":1e308}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v sample
		if err := Unmarshal(body, &v); err != nil {
			if opstap.AsError(err) == nil {
				t.Fatalf("not an application error: %v", err)
			}
			return
		}
		if v.Given == nil || v.Name == "" && !strings.Contains(string(body), `"name"`) {
			t.Fatalf("required field missing in accepted %q", body)
		}
		texts := append([]string{v.Name, v.Note}, v.Tags...)
		for k, s := range v.Labels {
			texts = append(texts, k, s)
		}
		for _, s := range texts {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || utf8.RuneCountInString(s) > DefaultMaxText {
				t.Fatalf("accepted text %q", s)
			}
		}
		if utf8.RuneCountInString(v.Name) > 10 || len(v.Tags) > 2 || v.Weight < 0 || v.Weight > 100 {
			t.Fatalf("accepted beyond a declared rule: %+v", v)
		}
		for _, h := range v.Hours {
			if h > 24 {
				t.Fatalf("accepted hours %d", h)
			}
		}
	})
}
