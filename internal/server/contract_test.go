package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/opstap/opstap/internal/httpx"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"
)

// The contract check puts the OpenAPI document between every API test and the
// server: each request a test sends and each response the server gives is
// validated by an independent OpenAPI 3.1 validator (libopenapi-validator). A
// response that the document does not describe fails the test that caused it.
// A request the document forbids must be refused (4xx): a server that stores
// what its contract says it refuses is as wrong as a document that describes
// too little.
var contract struct {
	once sync.Once
	v    validator.Validator
	err  error
	mu   sync.Mutex
}

func contractValidator(doc []byte) (validator.Validator, error) {
	contract.once.Do(func() {
		doc, err := closedDocument(doc)
		if err != nil {
			contract.err = err
			return
		}
		d, err := libopenapi.NewDocument(doc)
		if err != nil {
			contract.err = err
			return
		}
		v, errs := validator.NewValidator(d)
		if len(errs) > 0 {
			contract.err = fmt.Errorf("openapi: %v", errs)
			return
		}
		contract.v = v
	})
	return contract.v, contract.err
}

// contractCheck wraps h; t receives the violations.
func contractCheck(t *testing.T, h http.Handler) http.Handler {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	v, err := contractValidator(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") || r.URL.Path == "/api/v1/openapi.json" {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		out := httptest.NewRecorder()
		h.ServeHTTP(out, r)
		for k, vs := range out.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(out.Code)
		_, _ = w.Write(out.Body.Bytes())

		if out.Code == httpx.StatusClientClosed {
			return // nobody received it: the client had gone
		}
		resp := out.Result()
		req := r.Clone(r.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
		contract.mu.Lock()
		reqOK, reqErrs := v.ValidateHttpRequest(req)
		req.Body = io.NopCloser(bytes.NewReader(body))
		_, respErrs := v.ValidateHttpResponse(req, resp)
		contract.mu.Unlock()
		what := r.Method + " " + r.URL.Path
		if !reqOK && resp.StatusCode < 400 && !onlySecurity(reqErrs) {
			t.Errorf("contract: %s answered %d to a request the OpenAPI document refuses: %s", what, resp.StatusCode, describe(reqErrs))
		}
		if len(respErrs) == 1 && respErrs[0].IsPathMissingError() {
			// Not an operation of the document: the server must not
			// serve it either.
			if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("contract: %s is not in the OpenAPI document but answered %d", what, resp.StatusCode)
			}
			return
		}
		if len(respErrs) > 0 {
			t.Errorf("contract: %s answered %d, which the OpenAPI document does not describe: %s\n%.300s", what, resp.StatusCode, describe(respErrs), out.Body.String())
		}
	})
}

// onlySecurity: the document's security schemes are checked by the
// authentication tests; a cookie session is one of them.
func onlySecurity(errs []*verrors.ValidationError) bool {
	for _, e := range errs {
		if e.ValidationType != "security" {
			return false
		}
	}
	return true
}

func describe(errs []*verrors.ValidationError) string {
	var out []string
	for _, e := range errs {
		s := e.Message
		if e.Reason != "" {
			s += " (" + e.Reason + ")"
		}
		for _, f := range e.SchemaValidationErrors {
			s += "; " + f.FieldPath + ": " + f.Reason
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return strings.Join(out, " | ")
}

// documentRefuses reports whether the document (doc, the served JSON)
// refuses a JSON request, for reasons other than security: the malformed
// test uses it to show that what the server refuses, the document states.
func documentRefuses(t *testing.T, doc []byte, method, url, body string) bool {
	t.Helper()
	v, err := contractValidator(doc)
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	contract.mu.Lock()
	ok, errs := v.ValidateHttpRequest(req)
	contract.mu.Unlock()
	return !ok && !onlySecurity(errs)
}

// closedDocument is the served document with every object schema closed
// (additionalProperties: false; unevaluatedProperties: false on an allOf,
// whose members stay open), so that a response holding a field the document
// does not describe fails the test that caused it. The served document
// leaves response schemas open, so that a field added later does not break
// a client; request schemas it closes itself (internal/api).
func closedDocument(raw []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	members := map[any]bool{}
	var mark func(v any)
	mark = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if all, ok := x["allOf"].([]any); ok {
				for _, m := range all {
					mm, _ := m.(map[string]any)
					members[fmt.Sprintf("%p", mm)] = true
					if ref, ok := mm["$ref"].(string); ok {
						members[strings.TrimPrefix(ref, "#/components/schemas/")] = true
					}
				}
			}
			for _, e := range x {
				mark(e)
			}
		case []any:
			for _, e := range x {
				mark(e)
			}
		}
	}
	mark(doc)
	var shut func(v any, name string)
	shut = func(v any, name string) {
		switch x := v.(type) {
		case map[string]any:
			member := members[fmt.Sprintf("%p", x)] || (name != "" && members[name])
			_, hasAll := x["allOf"]
			_, hasProps := x["properties"].(map[string]any)
			_, open := x["additionalProperties"]
			_, uOpen := x["unevaluatedProperties"]
			switch {
			case member || open || uOpen:
			case hasAll:
				x["unevaluatedProperties"] = false
			case hasProps:
				x["additionalProperties"] = false
			}
			for k, e := range x {
				if k == "properties" {
					for _, p := range e.(map[string]any) {
						shut(p, "")
					}
					continue
				}
				shut(e, "")
			}
		case []any:
			for _, e := range x {
				shut(e, "")
			}
		}
	}
	for name, s := range schemas {
		shut(s, name)
	}
	shut(doc["paths"], "")
	return json.Marshal(doc)
}
