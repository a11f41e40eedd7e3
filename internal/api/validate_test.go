package api

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenAPIValidates runs the document through an independent validator
// (swagger-parser from npm, installed by `make test`). Without node or the
// package the test skips locally and fails in CI.
func TestOpenAPIValidates(t *testing.T) {
	root, _ := filepath.Abs("../..")
	mod := filepath.Join(root, "node_modules", "@apidevtools", "swagger-parser")
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(mod); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node and node_modules/@apidevtools/swagger-parser are needed (npm ci)")
		}
		t.Skip("node or swagger-parser missing; run npm ci")
	}
	doc := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(doc, openapiDoc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "validate.js"), doc)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(root, "node_modules"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "valid:") {
		t.Fatalf("OpenAPI document invalid: %v\n%s", err, out)
	}
}
