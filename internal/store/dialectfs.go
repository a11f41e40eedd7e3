package store

import (
	"bytes"
	"io"
	"io/fs"
	"regexp"
	"time"
)

// The migrations are written once, in SQLite's type names; for PostgreSQL
// the few types that differ are renamed when the files are read. Keeping one
// set of files means the two schemas cannot drift apart.
var pgTypes = []struct {
	re   *regexp.Regexp
	repl []byte
}{
	{regexp.MustCompile(`\bTIMESTAMP\b`), []byte("TIMESTAMPTZ")},
	{regexp.MustCompile(`\bBLOB\b`), []byte("BYTEA")},
	{regexp.MustCompile(`\bREAL\b`), []byte("DOUBLE PRECISION")},
}

// postgresSQL rewrites one migration for PostgreSQL.
func postgresSQL(b []byte) []byte {
	for _, t := range pgTypes {
		b = t.re.ReplaceAll(b, t.repl)
	}
	return b
}

// rewriteFS serves the files of a directory of fsys with their contents
// passed through fn.
type rewriteFS struct {
	fsys fs.FS
	fn   func([]byte) []byte
}

func (r rewriteFS) Open(name string) (fs.File, error) {
	f, err := r.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return f, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	b = r.fn(b)
	return &memFile{Reader: bytes.NewReader(b), name: st.Name(), size: int64(len(b))}, nil
}

// ReadDir lets goose list the migrations.
func (r rewriteFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.fsys, name) }

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Name() string               { return f.name }
func (f *memFile) Size() int64                { return f.size }
func (f *memFile) Mode() fs.FileMode          { return 0o444 }
func (f *memFile) ModTime() time.Time         { return time.Time{} }
func (f *memFile) IsDir() bool                { return false }
func (f *memFile) Sys() any                   { return nil }
