package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCatalogueComplete finds every user-facing text in the code and the
// templates and checks that Dutch has it: error messages passed to
// opstap.Errorf / opstap.FieldError / opstap.Error{Message}, access
// reasons, i18n.T calls, and {{.T "…"}} / {{$.T "…"}} in templates.
func TestCatalogueComplete(t *testing.T) {
	root := "../.."
	var missing []string
	seen := map[string]bool{}
	need := func(where, msg string) {
		if msg == "" || seen[msg] {
			return
		}
		seen[msg] = true
		if !Has(msg) {
			missing = append(missing, where+": "+strconv.Quote(msg))
		}
	}
	tmplText := regexp.MustCompile(`(?:\.T|"Label"|"Hint") "([^"]+)"`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(path, ".html"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range tmplText.FindAllStringSubmatch(string(b), -1) {
				need(path, m[1])
			}
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") && !strings.Contains(path, "cmd/"):
			scanGo(t, path, need)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 50 {
		t.Fatalf("found only %d texts: the scan is broken", len(seen))
	}
	for _, m := range missing {
		t.Errorf("no Dutch for %s", m)
	}
}

func scanGo(t *testing.T, path string, need func(string, string)) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	lit := func(e ast.Expr) string {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			s, _ := strconv.Unquote(b.Value)
			return s
		}
		return ""
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "explain" && len(x.Args) >= 1 {
				need(path, lit(x.Args[0]))
			}
			sel, ok := x.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "explain":
				if len(x.Args) >= 1 {
					need(path, lit(x.Args[0]))
				}
			case "newPage":
				if len(x.Args) == 2 {
					need(path, lit(x.Args[1]))
				}
			case "Errorf", "FieldError", "T":
				if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "opstap" || id.Name == "i18n") && len(x.Args) >= 2 {
					need(path, lit(x.Args[1]))
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := x.Key.(*ast.Ident); ok && (k.Name == "Message" || k.Name == "Title" || k.Name == "Text" || k.Name == "Label") {
				need(path, lit(x.Value))
			}
		case *ast.ValueSpec:
			for i, name := range x.Names {
				if strings.HasPrefix(name.Name, "Reason") && i < len(x.Values) {
					need(path, lit(x.Values[i]))
				}
			}
		}
		return true
	})
}
