package api

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/opstap/opstap/internal/httpx"
)

// The error answers of an operation follow from its shape, so they are added
// at merge time by rule instead of being written (and forgotten) 200 times in
// the fragments. A fragment may still document an error itself, with a more
// specific description; the rule never overwrites it. docs/api.md lists the
// rules. The contract test (internal/server) checks every response the tests
// provoke against the result, so a rule that promises too little fails there.
var errorResponses = map[string]string{
	"400": "Malformed request: not JSON, unknown or repeated field, bad query parameter",
	"401": "Not signed in, or token invalid, expired or revoked",
	"403": "The access policy refuses this role, relation or action",
	"404": "No such resource, or not visible to the caller",
	"409": "The resource's state does not allow this now",
	"413": "Request body above the operation's limit",
	"415": "Request body not sent as application/json",
	"422": "A field fails validation; `field` names it",
	"500": "Internal error (never caused by client input)",
	"503": "Temporarily unavailable: database unreachable or key material missing",
}

// completeOperations adds operationIds, descriptions and the error responses
// by rule, the shared error response objects to components, and closes the
// request schemas (closeRequestSchemas).
func completeOperations(doc map[string]any) error {
	comps := doc["components"].(map[string]any)
	responses, _ := comps["responses"].(map[string]any)
	if responses == nil {
		responses = map[string]any{}
		comps["responses"] = responses
	}
	for code, desc := range errorResponses {
		responses["Error"+code] = map[string]any{
			"description": desc,
			"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/Error"},
			}},
		}
	}
	responses["Error409"].(map[string]any)["headers"] = map[string]any{"Retry-After": map[string]any{"$ref": "#/components/headers/RetryAfter"}}
	_, globalSecurity := doc["security"]
	paths := doc["paths"].(map[string]any)
	ids := map[string]string{}
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item := paths[p].(map[string]any)
		for method, v := range item {
			op, ok := v.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			if _, ok := op["operationId"]; !ok {
				op["operationId"] = operationID(method, p)
			}
			// The summary says what the operation does; a fragment adds a
			// description where there is more to say.
			if _, ok := op["description"]; !ok {
				if s, ok := op["summary"].(string); ok {
					op["description"] = s
				}
			}
			id := op["operationId"].(string)
			if prev, dup := ids[id]; dup {
				return fmt.Errorf("operationId %s used by %s and %s %s", id, prev, method, p)
			}
			ids[id] = method + " " + p
			codes := errorCodesFor(method, p, op, globalSecurity)
			rs, _ := op["responses"].(map[string]any)
			if rs == nil {
				rs = map[string]any{}
				op["responses"] = rs
			}
			for _, c := range codes {
				if _, ok := rs[c]; !ok {
					rs[c] = map[string]any{"$ref": "#/components/responses/Error" + c}
				}
			}
			if method != "get" && method != "head" {
				idempotentWrite(op)
			}
		}
	}
	closeRequestSchemas(doc)
	limitQueryText(paths)
	return nil
}

// idempotentWrite states what internal/api/idempotency.go does on every
// write: the optional Idempotency-Key header (components.parameters in
// base.json), Idempotent-Replayed on a replayed success and Retry-After on
// the 409 of a key still in flight (the shared Error409 carries it).
func idempotentWrite(op map[string]any) {
	params, _ := op["parameters"].([]any)
	op["parameters"] = append(params, map[string]any{"$ref": "#/components/parameters/IdempotencyKey"})
	for code, v := range op["responses"].(map[string]any) {
		r, _ := v.(map[string]any)
		if _, ref := r["$ref"]; ref || r == nil || (code[0] != '2' && code != "409") {
			continue
		}
		hs, _ := r["headers"].(map[string]any)
		if hs == nil {
			hs = map[string]any{}
			r["headers"] = hs
		}
		if code == "409" {
			setDefault(hs, "Retry-After", map[string]any{"$ref": "#/components/headers/RetryAfter"})
		} else {
			setDefault(hs, ReplayedHeader, map[string]any{"$ref": "#/components/headers/IdempotentReplayed"})
		}
	}
}

// limitQueryText states the limit every query value has (httpx.CheckQuery)
// on the text parameters that do not state a tighter form of their own.
func limitQueryText(paths map[string]any) {
	for _, item := range paths {
		for _, v := range item.(map[string]any) {
			op, _ := v.(map[string]any)
			params, _ := op["parameters"].([]any)
			for _, prm := range params {
				m, _ := prm.(map[string]any)
				s, _ := m["schema"].(map[string]any)
				if m["in"] != "query" || s == nil || s["type"] != "string" {
					continue
				}
				_, enum := s["enum"]
				_, format := s["format"]
				if !enum && !format {
					setDefault(s, "maxLength", httpx.MaxQueryValue)
				}
			}
		}
	}
}

// closeRequestSchemas states what the strict decoder (internal/httpx) does:
// an unknown field in a request body is refused, at every depth. Every object
// schema a request body reaches gets additionalProperties: false unless the
// fragment says otherwise. A schema that is a member of an allOf elsewhere
// cannot be closed itself (the composite's other members would become
// unknown fields), so where such a schema is used on its own the use becomes
// an allOf of it with unevaluatedProperties: false, as a composite is closed.
func closeRequestSchemas(doc map[string]any) {
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	members := map[string]bool{}
	walkSchemas(doc, func(s map[string]any) {
		for _, m := range listOf(s["allOf"]) {
			if ref, ok := m["$ref"].(string); ok {
				members[strings.TrimPrefix(ref, "#/components/schemas/")] = true
			}
		}
	})
	done := map[string]bool{}
	var shut func(s map[string]any, member bool)
	shut = func(s map[string]any, member bool) {
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			target, _ := schemas[name].(map[string]any)
			if members[name] && !member {
				// Through an allOf, which validators evaluate reliably,
				// rather than as a sibling of $ref.
				delete(s, "$ref")
				s["allOf"] = []any{map[string]any{"$ref": ref}}
				s["unevaluatedProperties"] = false
			}
			if target != nil && !done[name] {
				done[name] = true
				shut(target, members[name])
			}
			return
		}
		if all := listOf(s["allOf"]); len(all) > 0 {
			for _, m := range all {
				shut(m, true)
			}
			if !member {
				setDefault(s, "unevaluatedProperties", false)
			}
		}
		if _, ok := s["properties"].(map[string]any); ok && !member {
			setDefault(s, "additionalProperties", false)
		}
		for _, k := range []string{"oneOf", "anyOf"} {
			for _, m := range listOf(s[k]) {
				shut(m, false)
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for _, v := range props {
				if m, ok := v.(map[string]any); ok {
					shut(m, false)
				}
			}
		}
		for _, k := range []string{"items", "additionalProperties"} {
			if m, ok := s[k].(map[string]any); ok {
				shut(m, false)
			}
		}
	}
	for _, item := range doc["paths"].(map[string]any) {
		for _, v := range item.(map[string]any) {
			op, _ := v.(map[string]any)
			body, _ := op["requestBody"].(map[string]any)
			content, _ := body["content"].(map[string]any)
			for _, mt := range content {
				if s, ok := mt.(map[string]any)["schema"].(map[string]any); ok {
					shut(s, false)
				}
			}
		}
	}
}

// walkSchemas calls fn on every object of the document.
func walkSchemas(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, e := range x {
			walkSchemas(e, fn)
		}
	case []any:
		for _, e := range x {
			walkSchemas(e, fn)
		}
	}
}

func listOf(v any) []map[string]any {
	var out []map[string]any
	l, _ := v.([]any)
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func setDefault(m map[string]any, k string, v any) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

// errorCodesFor: every operation may fail inside (500) or find the database or
// keys unavailable (503); a secured one refuses a missing or wrong caller; a
// path with an identifier may name nothing; a body or query may be malformed
// or invalid; a write may meet a state that forbids it.
func errorCodesFor(method, path string, op map[string]any, globalSecurity bool) []string {
	codes := []string{"500", "503"}
	sec, hasOwn := op["security"].([]any)
	if (globalSecurity && !hasOwn) || len(sec) > 0 {
		codes = append(codes, "401", "403")
	}
	if strings.Contains(path, "{") {
		codes = append(codes, "404")
	}
	if _, ok := op["requestBody"]; ok {
		codes = append(codes, "400", "413", "415", "422")
	}
	if params, ok := op["parameters"].([]any); ok {
		for _, prm := range params {
			if m, ok := prm.(map[string]any); ok && m["in"] == "query" {
				codes = append(codes, "400", "422")
				break
			}
		}
	}
	if method != "get" && method != "head" {
		codes = append(codes, "409", "422")
	}
	return codes
}

var pathParam = regexp.MustCompile(`^\{.*\}$`)

// operationID names an operation after its method and path, e.g.
// GET /api/v1/invoices/{id}/pdf → getInvoicesPdf, GET /api/v1/invoices →
// listInvoices, POST to a collection → create…, POST of an action →
// post…, PUT → replace…, PATCH → update…, DELETE → delete…. A fragment
// names an operation itself where this would collide.
func operationID(method, path string) string {
	segs := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	verb := map[string]string{"get": "get", "post": "create", "put": "replace", "patch": "update", "delete": "delete"}[method]
	last := segs[len(segs)-1]
	collection := !pathParam.MatchString(last) && strings.HasSuffix(last, "s")
	switch {
	case method == "get" && collection:
		verb = "list"
	case method == "post" && !collection:
		verb = "post" // an action such as …/approve, not a new member
	}
	var b strings.Builder
	b.WriteString(verb)
	for _, s := range segs {
		if pathParam.MatchString(s) {
			continue
		}
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			b.WriteString(string(r))
		}
	}
	return b.String()
}
