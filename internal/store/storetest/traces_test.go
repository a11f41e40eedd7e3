package storetest

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/opstap/opstap/internal/store"
)

// TestTracesFindsEveryForm: a value is found plain, in UTF-16 and inside
// base64 at any alignment, and not where it is absent.
func TestTracesFindsEveryForm(t *testing.T) {
	v := []byte("anna.jansen@example.nl")
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{
		write("plain", append([]byte("xx"), v...)),
		write("le", append([]byte{0, 1}, utf16Bytes(v, false)...)),
		write("be", utf16Bytes(v, true)),
	}
	for k := range 3 {
		files = append(files, write("b64-"+string(rune('0'+k)), []byte(base64.StdEncoding.EncodeToString(append(bytes.Repeat([]byte{'z'}, k), v...)))))
	}
	got := Traces(t, files, map[string][]byte{"mail": v})
	if len(got) != len(files) {
		t.Fatalf("found in %d of %d files: %v", len(got), len(files), got)
	}
	none := write("none", []byte("anna.jansen@example.org and nothing else"))
	if got := Traces(t, []string{none, filepath.Join(dir, "missing")}, map[string][]byte{"mail": v}); len(got) != 0 {
		t.Fatalf("false positives: %v", got)
	}
}

// TestClearInSeesBytes: ClearIn finds a value inside a binary column on
// every engine (where a SQL cast to text would not, on PostgreSQL).
func TestClearInSeesBytes(t *testing.T) {
	Each(t, func(t *testing.T, db *store.DB) {
		typ, insert := "BLOB", `INSERT INTO probe (b) VALUES (?)`
		if db.Dialect == store.Postgres {
			typ, insert = "BYTEA", `INSERT INTO probe (b) VALUES ($1)`
		}
		if _, err := db.SQL.Exec(`CREATE TABLE probe (b ` + typ + `)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.Exec(insert, []byte("\x00\xffgesprek met Anna\x01")); err != nil {
			t.Fatal(err)
		}
		if n := ClearIn(t, db, "probe", "anna", "b"); n != 1 {
			t.Fatalf("found in %d rows, want 1", n)
		}
		if n := ClearIn(t, db, "probe", "Jansen", "b"); n != 0 {
			t.Fatalf("found an absent value in %d rows", n)
		}
	})
}
