package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// parseFiles reads the catalogue files root/<lang>/*.toml. Each top-level key
// is a message ID; its value is the translation, or a table with plural forms
// (zero, one, two, few, many, other) and an optional description for the
// translator. An ID defined twice, in one file or in two files of a
// language, is an error: which one wins would be an accident.
func parseFiles(fsys fs.FS, root string) (map[string]map[string]*goi18n.Message, error) {
	paths, err := fs.Glob(fsys, path.Join(root, "*", "*.toml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := map[string]map[string]*goi18n.Message{}
	where := map[string]string{}
	var problems []string
	for _, p := range paths {
		lang := path.Base(path.Dir(p))
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		var raw map[string]any
		if _, err := toml.Decode(string(b), &raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		if out[lang] == nil {
			out[lang] = map[string]*goi18n.Message{}
		}
		for id, v := range raw {
			m, err := message(id, v)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", p, err))
				continue
			}
			key := lang + "\x00" + id
			if first, ok := where[key]; ok {
				problems = append(problems, fmt.Sprintf("%s: %q is defined again (first in %s)", p, id, first))
				continue
			}
			where[key] = p
			out[lang][id] = m
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return out, nil
}

// message turns one catalogue value into a go-i18n message.
func message(id string, v any) (*goi18n.Message, error) {
	switch v := v.(type) {
	case string:
		return &goi18n.Message{ID: id, Other: v}, nil
	case map[string]any:
		for k, x := range v {
			if _, ok := x.(string); !ok {
				return nil, fmt.Errorf("%q: %s is not a text", id, k)
			}
			switch k {
			case "description", "zero", "one", "two", "few", "many", "other":
			default:
				return nil, fmt.Errorf("%q: unknown field %s", id, k)
			}
		}
		m, err := goi18n.NewMessage(v)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", id, err)
		}
		if m.Other == "" {
			return nil, fmt.Errorf("%q: no 'other' form", id)
		}
		m.ID = id
		return m, nil
	}
	return nil, fmt.Errorf("%q: a translation is a text or a table of plural forms", id)
}
