package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// failCallers may call fail: the adapter, and the form guard in front of
// every page, which has no page handler to return its refusal to.
var failCallers = []string{"public", "FormGuard"}

// TestPageErrorsReachTheAdapter keeps the web handlers in one shape (issue
// 14 item 3): they return their errors, and the adapter alone answers them.
// It fails on a call of fail outside the adapter, on a statement that drops
// the error of a page method or of a renderer or pageFunc it was given,
// and on a last result (where a call returns its error) thrown away with _
// without a comment saying why.
func TestPageErrorsReachTheAdapter(t *testing.T) {
	fset := token.NewFileSet()
	files := parsePackage(t, fset)
	if got := pageProblems(fset, files); len(got) > 0 {
		t.Errorf("%d page errors that do not reach the adapter:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// TestPageProblemsFound proves each rule on a fixture.
func TestPageProblemsFound(t *testing.T) {
	src := `package web
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {}
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) error { return nil }
func (h *Handler) public(next pageFunc) http.HandlerFunc { h.fail(nil, nil, nil); return nil }
func (h *Handler) old(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err != nil {
		h.fail(w, r, err)
		return nil
	}
	h.render(w, r, 200, "x", nil)
	_ = h.DB.SetLanguage(r.Context(), a, "nl")
	v, _ := strconv.Atoi("1")
	// a deliberate choice, said here
	_ = r.ParseForm()
	_ = r.ParseForm() // said here too
	n, _ := strconv.Atoi("2") // a trailing comment speaks for its own line only
	m, _ := strconv.Atoi("3")
	return nil
}
func (h *Handler) given(w http.ResponseWriter, r *http.Request, show renderer, next pageFunc) error {
	show(w, r, 200, nil)
	next(w, r, nil)
	return show(w, r, 200, nil)
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "fixture.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"fixture.go:7: fail called outside the adapter",
		"fixture.go:10: the error of h.render is dropped",
		"fixture.go:11: _ throws a result away without a comment why",
		"fixture.go:12: _ throws a result away without a comment why",
		"fixture.go:17: _ throws a result away without a comment why",
		"fixture.go:21: the error of show is dropped",
		"fixture.go:22: the error of next is dropped",
	}
	if got := pageProblems(fset, []*ast.File{f}); !slices.Equal(got, want) {
		t.Errorf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func parsePackage(t *testing.T, fset *token.FileSet) []*ast.File {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// pageProblems lists, as "file:line: what", the places where an error
// does not reach the adapter.
func pageProblems(fset *token.FileSet, files []*ast.File) []string {
	// The Handler's methods that return an error (as their last result).
	returnsErr := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && lastResultIsError(fd.Type) {
				returnsErr[fd.Name.Name] = true
			}
		}
	}
	var out []string
	add := func(p token.Pos, format string, args ...any) {
		pos := fset.Position(p)
		out = append(out, fmt.Sprintf("%s:%d: ", filepath.Base(pos.Filename), pos.Line)+fmt.Sprintf(format, args...))
	}
	for _, f := range files {
		// Lines with a comment, and those just under a comment of its own
		// line (not one trailing the statement before).
		code := map[int]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := n.(ast.Stmt); ok {
				code[fset.Position(s.Pos()).Line] = true
			}
			return true
		})
		commented := map[int]bool{}
		for _, cg := range f.Comments {
			first, last := fset.Position(cg.Pos()).Line, fset.Position(cg.End()).Line
			for l := first; l <= last; l++ {
				commented[l] = true
			}
			if !code[first] {
				commented[last+1] = true
			}
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			given := errFuncParams(fd.Type)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.FuncLit:
					for k := range errFuncParams(x.Type) {
						given[k] = true
					}
				case *ast.CallExpr:
					if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "fail" && !slices.Contains(failCallers, fd.Name.Name) {
						add(x.Pos(), "fail called outside the adapter")
					}
				case *ast.ExprStmt:
					call, ok := x.X.(*ast.CallExpr)
					if !ok {
						break
					}
					switch fn := call.Fun.(type) {
					case *ast.SelectorExpr:
						if id, ok := fn.X.(*ast.Ident); ok && id.Name == "h" && returnsErr[fn.Sel.Name] {
							add(x.Pos(), "the error of h.%s is dropped", fn.Sel.Name)
						}
					case *ast.Ident:
						if given[fn.Name] {
							add(x.Pos(), "the error of %s is dropped", fn.Name)
						}
					}
				case *ast.AssignStmt:
					if blank(x.Lhs) && !commented[fset.Position(x.Pos()).Line] {
						if _, isCall := x.Rhs[0].(*ast.CallExpr); isCall {
							add(x.Pos(), "_ throws a result away without a comment why")
						}
					}
				}
				return true
			})
		}
	}
	return out
}

func lastResultIsError(ft *ast.FuncType) bool {
	if ft.Results == nil || len(ft.Results.List) == 0 {
		return false
	}
	id, ok := ft.Results.List[len(ft.Results.List)-1].Type.(*ast.Ident)
	return ok && id.Name == "error"
}

// errFuncParams names the parameters that are page handlers, renderers or
// other functions returning an error.
func errFuncParams(ft *ast.FuncType) map[string]bool {
	out := map[string]bool{}
	for _, p := range ft.Params.List {
		ok := false
		switch t := p.Type.(type) {
		case *ast.Ident:
			ok = t.Name == "renderer" || t.Name == "pageFunc" || t.Name == "formAction"
		case *ast.FuncType:
			ok = lastResultIsError(t)
		}
		for _, n := range p.Names {
			if ok {
				out[n.Name] = true
			}
		}
	}
	return out
}

// blank reports whether the last of lhs, where a call returns its error,
// is the blank identifier.
func blank(lhs []ast.Expr) bool {
	id, ok := lhs[len(lhs)-1].(*ast.Ident)
	return ok && id.Name == "_"
}
