package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"
)

// The OpenAPI document is kept as one fragment per feature (paths and
// schemas), merged at start; base.json holds info, security and shared
// schemas. A duplicate path or schema name is a start-up error.
//
//go:embed openapi/*.json
var openapiFS embed.FS

var openapiDoc = mustMergeOpenAPI()

// OpenAPI returns the merged document as served at /api/v1/openapi.json.
func OpenAPI() []byte { return slices.Clone(openapiDoc) }

func mustMergeOpenAPI() []byte {
	b, err := mergeOpenAPI(openapiFS)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	var doc map[string]any
	raw, err := fs.ReadFile(fsys, "openapi/base.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("openapi base: %w", err)
	}
	paths := doc["paths"].(map[string]any)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	names, _ := fs.Glob(fsys, "openapi/*.json")
	sort.Strings(names)
	for _, n := range names {
		if n == "openapi/base.json" {
			continue
		}
		var frag struct {
			Paths      map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		raw, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		for p, v := range frag.Paths {
			if _, dup := paths[p]; dup {
				return nil, fmt.Errorf("%s: path %s defined twice", n, p)
			}
			paths[p] = v
		}
		for s, v := range frag.Components.Schemas {
			if _, dup := schemas[s]; dup {
				return nil, fmt.Errorf("%s: schema %s defined twice", n, s)
			}
			schemas[s] = v
		}
	}
	if err := completeOperations(doc); err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", " ")
}
