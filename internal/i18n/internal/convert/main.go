// Command convert moves texts written as Go maps in internal/i18n (the old
// nl*.go and en*.go files, whose init functions call Add or fill en) into
// the catalogue files internal/i18n/locales/<lang>/<area>.toml, so that no
// text is lost when a branch that still adds Go maps is merged.
//
//	go run ./internal/i18n/internal/convert            # report only
//	go run ./internal/i18n/internal/convert -write     # append to the files, delete the Go files
//
// A text already in the catalogue with the same translation is skipped; one
// with a different translation is a conflict: nothing is written and the
// conflict is listed, to be settled by hand (one translation, or a context
// ID such as "dossier|Edit" at the places that need the other one).
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

type entry struct {
	lang, area, key, value, where string
}

func main() {
	dir := flag.String("dir", "internal/i18n", "the i18n package directory")
	write := flag.Bool("write", false, "append the texts to the catalogue files and delete the converted Go files")
	flag.Parse()
	if err := run(*dir, *write); err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
}

var goFile = regexp.MustCompile(`^(nl|en)(_[a-z0-9_]+)?\.go$`)

func run(dir string, write bool) error {
	names, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var entries []entry
	var files, problems []string
	for _, n := range names {
		if !goFile.MatchString(n.Name()) {
			continue
		}
		path := filepath.Join(dir, n.Name())
		es, ps, err := extract(path)
		if err != nil {
			return err
		}
		entries = append(entries, es...)
		problems = append(problems, ps...)
		files = append(files, path)
	}
	existing, err := loadCatalogue(filepath.Join(dir, "locales"))
	if err != nil {
		return err
	}
	var add []entry
	skipped := 0
	for _, e := range entries {
		if e.lang == "nl" && retired[[2]string{e.key, e.value}] {
			skipped++
			continue
		}
		id := e.lang + "\x00" + e.key
		if prev, ok := existing[id]; ok {
			if prev.value != e.value {
				problems = append(problems, fmt.Sprintf("conflict: %q is %q in %s but %q in %s", e.key, prev.value, prev.where, e.value, e.where))
			}
			continue
		}
		existing[id] = e
		add = append(add, e)
	}
	fmt.Printf("%d Go files, %d texts, %d new, %d retired on purpose and skipped\n", len(files), len(entries), len(add), skipped)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Println(p)
		}
		return fmt.Errorf("%d problems: nothing written", len(problems))
	}
	if !write {
		return nil
	}
	if err := appendEntries(filepath.Join(dir, "locales"), add); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			return err
		}
		fmt.Println("removed", f)
	}
	return nil
}

// extract finds the map literals of one Go file: `var nl = map…`, `var en =
// map…`, `Add(map…)` (Dutch) and `for k, v := range map… { en[k] = v }`.
// Any other statement of an init function is reported, since its texts
// would be lost.
func extract(path string) ([]entry, []string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, nil, err
	}
	base := strings.TrimSuffix(filepath.Base(path), ".go")
	area := "core"
	if i := strings.IndexByte(base, '_'); i > 0 {
		area = base[i+1:]
	}
	var out []entry
	var problems []string
	lit := func(lang string, cl *ast.CompositeLit) {
		for _, el := range cl.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: not a key-value pair", fset.Position(el.Pos())))
				continue
			}
			k, ok1 := kv.Key.(*ast.BasicLit)
			v, ok2 := kv.Value.(*ast.BasicLit)
			if !ok1 || !ok2 {
				problems = append(problems, fmt.Sprintf("%s: not a literal text pair", fset.Position(el.Pos())))
				continue
			}
			ks, err1 := strconv.Unquote(k.Value)
			vs, err2 := strconv.Unquote(v.Value)
			if err1 != nil || err2 != nil {
				problems = append(problems, fmt.Sprintf("%s: not a string pair", fset.Position(el.Pos())))
				continue
			}
			out = append(out, entry{lang: lang, area: area, key: ks, value: vs, where: fset.Position(k.Pos()).String()})
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				vs, ok := s.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, n := range vs.Names {
					if cl, ok := valueAt(vs, i).(*ast.CompositeLit); ok && (n.Name == "nl" || n.Name == "en") {
						lit(n.Name, cl)
					} else if n.Name != "_" {
						problems = append(problems, fmt.Sprintf("%s: declaration %s not converted", fset.Position(n.Pos()), n.Name))
					}
				}
			}
		case *ast.FuncDecl:
			if d.Name.Name != "init" || d.Body == nil {
				problems = append(problems, fmt.Sprintf("%s: function %s not converted", fset.Position(d.Pos()), d.Name.Name))
				continue
			}
			for _, st := range d.Body.List {
				if lang, cl := mapStmt(st); cl != nil {
					lit(lang, cl)
				} else if r, ok := st.(*ast.RangeStmt); ok && isSliceLit(r.X) {
					// The old nl_contract_terms.go computed en["tier-upto:"+n];
					// those texts are in locales/en/contract_terms.toml.
					fmt.Printf("note: %s: computed texts not converted; check they are in the catalogue\n", fset.Position(st.Pos()))
				} else {
					problems = append(problems, fmt.Sprintf("%s: statement not converted", fset.Position(st.Pos())))
				}
			}
		}
	}
	return out, problems, nil
}

func isSliceLit(e ast.Expr) bool {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return false
	}
	_, ok = cl.Type.(*ast.ArrayType)
	return ok
}

func valueAt(vs *ast.ValueSpec, i int) ast.Expr {
	if i < len(vs.Values) {
		return vs.Values[i]
	}
	return nil
}

// mapStmt recognises Add(map…) and for k, v := range map… { en[k] = v }.
func mapStmt(st ast.Stmt) (string, *ast.CompositeLit) {
	switch s := st.(type) {
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return "", nil
		}
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "Add" {
			cl, _ := call.Args[0].(*ast.CompositeLit)
			return "nl", cl
		}
	case *ast.RangeStmt:
		cl, ok := s.X.(*ast.CompositeLit)
		if !ok || len(s.Body.List) != 1 {
			return "", nil
		}
		as, ok := s.Body.List[0].(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 {
			return "", nil
		}
		if ix, ok := as.Lhs[0].(*ast.IndexExpr); ok {
			if id, ok := ix.X.(*ast.Ident); ok && (id.Name == "nl" || id.Name == "en") {
				return id.Name, cl
			}
		}
	}
	return "", nil
}

// loadCatalogue reads the texts already in the catalogue files, keyed by
// language and ID. Plural and described entries count by their "other" form.
func loadCatalogue(root string) (map[string]entry, error) {
	out := map[string]entry{}
	paths, err := filepath.Glob(filepath.Join(root, "*", "*.toml"))
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		var m map[string]any
		if _, err := toml.DecodeFile(p, &m); err != nil {
			return nil, err
		}
		lang := filepath.Base(filepath.Dir(p))
		for k, v := range m {
			var text string
			switch v := v.(type) {
			case string:
				text = v
			case map[string]any:
				text, _ = v["other"].(string)
			}
			out[lang+"\x00"+k] = entry{lang: lang, key: k, value: text, where: p}
		}
	}
	return out, nil
}

// appendEntries adds the texts to locales/<lang>/<area>.toml, creating a
// file with a header where needed. Every entry is one line, so appending
// never lands inside a table.
func appendEntries(root string, es []entry) error {
	byFile := map[string][]entry{}
	for _, e := range es {
		p := filepath.Join(root, e.lang, e.area+".toml")
		byFile[p] = append(byFile[p], e)
	}
	paths := make([]string, 0, len(byFile))
	for p := range byFile {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		list := byFile[p]
		sort.Slice(list, func(i, j int) bool { return list[i].key < list[j].key })
		var b strings.Builder
		if _, err := os.Stat(p); os.IsNotExist(err) {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			fmt.Fprintf(&b, "# %s texts: %s. Message ID (the English text, or context|English) = translation.\n# See docs/i18n.md.\n\n", langName(list[0].lang), list[0].area)
		}
		for _, e := range list {
			fmt.Fprintf(&b, "%s = %s\n", Quote(e.key), Quote(e.value))
		}
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.WriteString(b.String()); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Printf("%s: %d texts\n", p, len(list))
	}
	return nil
}

func langName(lang string) string {
	if lang == "nl" {
		return "Dutch"
	}
	return "English"
}

// Quote writes s as a TOML basic string.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
