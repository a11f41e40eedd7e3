package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/i18n"
)

// TestAccessLogLabelsComplete: every purpose the store logs and every event
// the audit log knows has a label in Dutch, so the candidate's access log
// shows no codes (issue 12 item 9). The constants are read from the
// sources, so a new purpose without a label fails here.
func TestAccessLogLabelsComplete(t *testing.T) {
	codes := map[string]string{} // code → where it is defined
	for _, dir := range []string{"../store", "../audit"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		fset := token.NewFileSet()
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.ValueSpec:
					for i, name := range x.Names {
						if (strings.HasPrefix(name.Name, "Purpose") || strings.HasPrefix(name.Name, "Event")) && i < len(x.Values) {
							if lit, ok := x.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								v, _ := strconv.Unquote(lit.Value)
								codes[v] = f + ": " + name.Name
							}
						}
					}
				case *ast.AssignStmt: // e.Purpose = "audit"
					if sel, ok := x.Lhs[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "Purpose" && len(x.Rhs) == 1 {
						if lit, ok := x.Rhs[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							v, _ := strconv.Unquote(lit.Value)
							codes[v] = f + ": e.Purpose"
						}
					}
				}
				return true
			})
		}
	}
	if len(codes) < 30 {
		t.Fatalf("found only %d purposes and events: is the parse right?", len(codes))
	}
	for code, where := range codes {
		label, ok := accessLogLabels[code]
		if !ok {
			t.Errorf("%s (%s) has no label for the access log", code, where)
			continue
		}
		if nl := i18n.T("nl", label); nl == label {
			t.Errorf("%s: label %q has no Dutch", code, label)
		}
	}
}
