package storetest

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/opstap/opstap/internal/store"
)

// Forms returns the byte sequences under which v can lie on disk: as is,
// UTF-16 little and big endian (SQLite's other text encodings), and base64
// in the standard and URL alphabets at each of the three alignments a value
// can take inside a longer encoded text.
func Forms(v []byte) [][]byte {
	out := [][]byte{v, utf16Bytes(v, false), utf16Bytes(v, true)}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for k := range 3 {
			s := enc.EncodeToString(append(make([]byte, k), v...))
			// The first four characters mix in the padding bytes (when k > 0)
			// and the last four the end; the middle depends on v alone.
			from := 0
			if k > 0 {
				from = 4
			}
			if len(s)-4 > from+4 {
				out = append(out, []byte(s[from:len(s)-4]))
			}
		}
	}
	return out
}

func utf16Bytes(v []byte, bigEndian bool) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(string(v))) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// Traces reads each file byte for byte (a missing file holds nothing) and
// names every needle found in it in any of its Forms.
func Traces(t testing.TB, files []string, needles map[string][]byte) []string {
	t.Helper()
	var hits []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		for name, v := range needles {
			for i, form := range Forms(v) {
				if bytes.Contains(b, form) {
					hits = append(hits, f+" holds "+name+" (form "+string(rune('0'+i))+")")
					break
				}
			}
		}
	}
	return hits
}

// ClearIn counts the rows of table where one of cols holds needle in
// clear (ASCII case ignored). It compares in Go, byte for byte: a SQL
// check such as CAST(col AS TEXT) LIKE '%x%' can never match a bytea on
// PostgreSQL (the cast yields hex), so it would pass there whatever is
// stored.
func ClearIn(t testing.TB, db *store.DB, table, needle string, cols ...string) int {
	t.Helper()
	rows, err := db.SQL.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := bytes.ToLower([]byte(needle))
	n := 0
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if bytes.Contains(bytes.ToLower(v), want) {
				n++
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}
