package api

import (
	"slices"

	"encoding/json"
	"github.com/opstap/opstap/internal/store"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes keeps the document and the mux in step: every
// registered route is documented and every documented operation is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	served := map[string]bool{}
	for _, p := range (&Handler{}).Patterns() {
		served[p] = true
		if !documented[p] {
			t.Errorf("route %s is not in the OpenAPI document", p)
		}
	}
	var extra []string
	for p := range documented {
		if !served[p] {
			extra = append(extra, p)
		}
	}
	sort.Strings(extra)
	for _, p := range extra {
		t.Errorf("OpenAPI documents %s, which is not served", p)
	}
}

// TestOpenAPIRefsResolve checks that every $ref names a defined component.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	components := doc["components"].(map[string]any)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				kind, name, _ := strings.Cut(strings.TrimPrefix(r, "#/components/"), "/")
				defs, _ := components[kind].(map[string]any)
				if _, ok := defs[name]; !ok {
					t.Errorf("unresolved $ref %s", r)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
}

// TestOperationsComplete: every operation has a unique operationId and
// documents the error answers its shape allows (openapi_complete.go).
func TestOperationsComplete(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for p, ops := range doc.Paths {
		for m, raw := range ops {
			if m == "parameters" {
				continue
			}
			var op struct {
				OperationID string         `json:"operationId"`
				Responses   map[string]any `json:"responses"`
				RequestBody any            `json:"requestBody"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			if op.OperationID == "" || seen[op.OperationID] {
				t.Errorf("%s %s: operationId %q missing or not unique", m, p, op.OperationID)
			}
			seen[op.OperationID] = true
			want := []string{"500", "503"}
			if op.RequestBody != nil {
				want = append(want, "400", "413", "415", "422")
			}
			if strings.Contains(p, "{") {
				want = append(want, "404")
			}
			for _, c := range want {
				if op.Responses[c] == nil {
					t.Errorf("%s %s: no %s response", m, p, c)
				}
			}
		}
	}
}

func TestOperationID(t *testing.T) {
	for _, c := range []struct{ method, path, want string }{
		{"get", "/api/v1/invoices", "listInvoices"},
		{"get", "/api/v1/invoices/{id}", "getInvoices"},
		{"get", "/api/v1/invoices/{id}/pdf", "getInvoicesPdf"},
		{"get", "/api/v1/me", "getMe"},
		{"post", "/api/v1/candidates", "createCandidates"},
		{"post", "/api/v1/placements/{id}/end", "postPlacementsEnd"},
		{"put", "/api/v1/candidates/{id}/flex", "replaceCandidatesFlex"},
		{"delete", "/api/v1/tokens/{id}", "deleteTokens"},
		{"post", "/api/v1/privacy/sub-processors", "createPrivacySubProcessors"},
	} {
		if got := operationID(c.method, c.path); got != c.want {
			t.Errorf("operationID(%s %s) = %s, want %s", c.method, c.path, got, c.want)
		}
	}
}

// TestNoticeKindsDocumented: the document's enums of notification kinds
// and events are store.NoticeKinds and store.NoticeEvents, so a kind or
// event added in code is added to the contract.
func TestNoticeKindsDocumented(t *testing.T) {
	type enum struct {
		Enum []string `json:"enum"`
	}
	var doc struct {
		Components struct {
			Schemas struct {
				Notification struct {
					Properties struct {
						Kind  enum `json:"kind"`
						Event enum `json:"event"`
					} `json:"properties"`
				} `json:"Notification"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	props := doc.Components.Schemas.Notification.Properties
	for _, c := range []struct {
		name      string
		got, want []string
	}{{"kind", props.Kind.Enum, store.NoticeKinds}, {"event", props.Event.Enum, store.NoticeEvents}} {
		got, want := slices.Clone(c.got), slices.Clone(c.want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Notification.%s enum %v, store %v", c.name, got, want)
		}
	}
}
