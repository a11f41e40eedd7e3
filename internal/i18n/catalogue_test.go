package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// TestCatalogueComplete checks the catalogue files against every use of a
// message in the code and the templates. It fails on a text used but
// without Dutch, a message ID defined twice (in one file or two), an entry
// used nowhere, a counted message without plural forms, and a message ID
// built at run time outside the labels table.
func TestCatalogueComplete(t *testing.T) {
	msgs, err := parseFiles(files, "locales")
	if err != nil {
		t.Fatal(err)
	}
	u := scanTree(t, "../..")
	if len(u.need) < 1000 || len(u.families) < 20 {
		t.Fatalf("found only %d texts and %d label families: the scan is broken", len(u.need), len(u.families))
	}
	for _, p := range checkCatalogue(msgs, u, labels) {
		t.Error(p)
	}
	t.Logf("%d Dutch entries, %d English entries; %d texts used by name, %d label families", len(msgs["nl"]), len(msgs["en"]), len(u.need), len(u.families))
}

// usage is what a scan of code and templates found.
type usage struct {
	need     map[string]string // message ID → first place it is translated
	plural   map[string]string // message ID → first place it is counted with N
	families map[string]string // label family → first place Label or L uses it
	literal  map[string]bool   // every string literal of the code and the templates
	problems []string          // message IDs built at run time
}

func (u *usage) use(m map[string]string, where, id string) {
	if id == "" {
		return
	}
	if _, ok := m[id]; !ok {
		m[id] = where
	}
}

var (
	tmplNeed    = regexp.MustCompile(`(?:\.T|"Label"|"Hint") "((?:[^"\\]|\\.)+)"`)
	tmplPlural  = regexp.MustCompile(`\.N "((?:[^"\\]|\\.)+)"`)
	tmplFamily  = regexp.MustCompile(`\.L "([a-z_-]+)"`)
	tmplAction  = regexp.MustCompile(`(?s){{.*?}}`)
	tmplString  = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	tmplRuntime = regexp.MustCompile(`\.T \(printf? [^)]*\)`)
	labelTable  = regexp.MustCompile(`(?i)(labels|parts)$`)
	symbolic    = regexp.MustCompile(`^[a-z_-]+:[a-z0-9_:]+$`)
)

// scanTree reads every Go file (tests excepted) and template under root.
func scanTree(t *testing.T, root string) usage {
	u := usage{need: map[string]string{}, plural: map[string]string{}, families: map[string]string{}, literal: map[string]bool{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(path, ".html"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			scanTemplate(&u, path, string(b))
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
			scanGo(t, &u, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func scanTemplate(u *usage, path, text string) {
	unq := func(s string) string {
		v, err := strconv.Unquote(`"` + s + `"`)
		if err != nil {
			return s
		}
		return v
	}
	for _, m := range tmplNeed.FindAllStringSubmatch(text, -1) {
		u.use(u.need, path, unq(m[1]))
	}
	for _, m := range tmplPlural.FindAllStringSubmatch(text, -1) {
		u.use(u.plural, path, unq(m[1]))
	}
	for _, m := range tmplFamily.FindAllStringSubmatch(text, -1) {
		u.use(u.families, path, m[1])
	}
	for _, a := range tmplAction.FindAllString(text, -1) {
		for _, m := range tmplString.FindAllStringSubmatch(a, -1) {
			u.literal[unq(m[1])] = true
		}
	}
	for _, m := range tmplRuntime.FindAllString(text, -1) {
		u.problems = append(u.problems, path+": message ID built at run time "+strconv.Quote(m)+"; use .L \"family\" code and the labels table")
	}
}

// scanGo finds the texts of one Go file: error messages passed to
// opstap.Errorf / opstap.FieldError / opstap.Error{Message}, access reasons,
// T, t and N calls, pages' titles, the values of Go label tables (a map to
// string named …Labels or …Parts) and Label / L families; and every string
// literal, which counts as a use of an entry that has it as its ID.
func scanGo(t *testing.T, u *usage, path string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	where := func(n ast.Node) string { return fset.Position(n.Pos()).String() }
	lit := func(e ast.Expr) string {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			s, _ := strconv.Unquote(b.Value)
			return s
		}
		return ""
	}
	arg := func(x *ast.CallExpr, i int) ast.Expr {
		if i < len(x.Args) {
			return x.Args[i]
		}
		return nil
	}
	// message handles the message argument of a translating call.
	message := func(m map[string]string, e ast.Expr) {
		if e == nil {
			return
		}
		switch b := e.(type) {
		case *ast.BinaryExpr:
			u.problems = append(u.problems, where(e)+": message ID built at run time with +; use i18n.Label and the labels table")
			return
		case *ast.CallExpr:
			if sel, ok := b.Fun.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "Sprint") {
				u.problems = append(u.problems, where(e)+": message ID built at run time with "+sel.Sel.Name+"; use i18n.Label and the labels table")
				return
			}
		}
		u.use(m, where(e), lit(e))
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BasicLit:
			if x.Kind == token.STRING {
				s, _ := strconv.Unquote(x.Value)
				u.literal[s] = true
			}
		case *ast.CallExpr:
			var name, pkg string
			switch fn := x.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				if id, ok := fn.X.(*ast.Ident); ok {
					pkg = id.Name
				}
			}
			switch {
			case name == "explain":
				message(u.need, arg(x, 0))
			case name == "newPage" && len(x.Args) == 2:
				message(u.need, arg(x, 1))
			case (pkg == "opstap" || pkg == "i18n") && (name == "Errorf" || name == "FieldError" || name == "T"):
				message(u.need, arg(x, 1))
			case pkg == "i18n" && name == "N":
				message(u.plural, arg(x, 1))
			case pkg == "i18n" && name == "Label":
				u.use(u.families, where(x), lit(arg(x, 1)))
			case name == "T" || name == "t":
				message(u.need, arg(x, 0))
			case name == "N":
				message(u.plural, arg(x, 0))
			case name == "L" && len(x.Args) == 2:
				u.use(u.families, where(x), lit(arg(x, 0)))
			}
		case *ast.KeyValueExpr:
			if k, ok := x.Key.(*ast.Ident); ok && (k.Name == "Message" || k.Name == "Title" || k.Name == "Text" || k.Name == "Label") {
				u.use(u.need, where(x), lit(x.Value))
			}
		case *ast.ValueSpec:
			for i, name := range x.Names {
				if i >= len(x.Values) {
					continue
				}
				if strings.HasPrefix(name.Name, "Reason") {
					u.use(u.need, where(x), lit(x.Values[i]))
				}
				// A Go label table (kindLabels, accessLogLabels, manifestParts, …):
				// code → English text, translated when shown.
				if cl, ok := x.Values[i].(*ast.CompositeLit); ok && labelTable.MatchString(name.Name) {
					if mt, ok := cl.Type.(*ast.MapType); ok {
						if v, ok := mt.Value.(*ast.Ident); ok && v.Name == "string" {
							for _, el := range cl.Elts {
								if kv, ok := el.(*ast.KeyValueExpr); ok {
									u.use(u.need, where(kv), lit(kv.Value))
								}
							}
						}
					}
				}
			}
		}
		return true
	})
}

// checkCatalogue compares the catalogue with the uses and returns the
// problems, sorted.
func checkCatalogue(msgs map[string]map[string]*goi18n.Message, u usage, labels map[string][]string) []string {
	probs := append([]string(nil), u.problems...)
	nl, en := msgs["nl"], msgs["en"]
	// English is the ID itself (without its context), except for label
	// codes and counted messages.
	needsEnglish := func(id string) bool { return symbolic.MatchString(id) }
	required := func(id, where string) {
		if _, ok := nl[id]; !ok {
			probs = append(probs, "no Dutch for "+strconv.Quote(id)+" ("+where+")")
		}
		if _, ok := en[id]; !ok && needsEnglish(id) {
			probs = append(probs, "no English for "+strconv.Quote(id)+" ("+where+")")
		}
	}
	for id, where := range u.need {
		required(id, where)
	}
	for id, where := range u.plural {
		required(id, where)
		for _, lang := range []string{"nl", "en"} {
			if m := msgs[lang][id]; m == nil || m.One == "" {
				probs = append(probs, strconv.Quote(id)+" is counted with N ("+where+") but has no plural forms (one, other) in "+lang)
			}
		}
	}
	labelled := map[string]bool{}
	for family, where := range u.families {
		codes, ok := labels[family]
		if !ok {
			probs = append(probs, "label family "+strconv.Quote(family)+" ("+where+") is not in the labels table")
		}
		for _, c := range codes {
			labelled[family+":"+c] = true
			required(family+":"+c, "labels table, family "+family)
		}
	}
	for family := range labels {
		if _, ok := u.families[family]; !ok {
			probs = append(probs, "label family "+strconv.Quote(family)+" is used nowhere: remove it from the labels table and its entries")
		}
	}
	for lang, m := range msgs {
		for id, msg := range m {
			_, counted := u.plural[id]
			switch {
			case !counted && !labelled[id] && !u.literal[id] && u.need[id] == "":
				probs = append(probs, "unused entry "+lang+" "+strconv.Quote(id)+": no code or template uses it")
			case msg.One != "" && !counted:
				probs = append(probs, lang+" "+strconv.Quote(id)+" has plural forms but is never counted with N")
			case lang == "en" && !counted && !needsEnglish(id):
				probs = append(probs, "en "+strconv.Quote(id)+" needs no English entry: the ID is the English text")
			}
		}
	}
	sort.Strings(probs)
	return probs
}
