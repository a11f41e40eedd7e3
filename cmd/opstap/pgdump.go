package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/opstap/opstap/internal/store"
)

// A PostgreSQL backup is pg_dump's plain SQL of the schema Opstap uses,
// gzip-compressed, after one header line naming that schema. Plain SQL
// rather than the custom format because the data keys must not reach the
// file: the COPY block of candidate_keys passes through stripKeys, which
// writes NULL for every wrapped key (as stripBackupKeys does in a SQLite
// copy), while the rows themselves — which candidates exist, which were
// erased — stay in the backup.

const pgHeader = "-- opstap backup of PostgreSQL schema "

// libpqParams are the URL parameters libpq understands; the others (pgx's
// pool settings, search_path) would make pg_dump refuse the URL.
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"channel_binding": true, "connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "fallback_application_name": true, "keepalives": true,
	"keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true,
	"tcp_user_timeout": true, "sslmode": true, "sslcompression": true, "sslcert": true, "sslkey": true,
	"sslpassword": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true,
	"requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"gssencmode": true, "krbsrvname": true, "gsslib": true, "service": true, "target_session_attrs": true,
}

// pgTool runs pg_dump or psql against rawURL. The URL goes in --dbname
// (pg_dump reads a bare PGDATABASE as a database name, not a URL) without
// its password, which travels in PGPASSWORD so that it stays off the
// process list.
func pgTool(ctx context.Context, rawURL, name string, args ...string) (*exec.Cmd, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("%s needs a postgres:// database URL", name)
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	cmd := exec.CommandContext(ctx, name, append([]string{"--dbname=" + u.String()}, args...)...)
	cmd.Env = env
	cmd.Stderr = os.Stderr
	return cmd, nil
}

// pgDump writes the schema the database works in to path.
func pgDump(ctx context.Context, db *store.DB, rawURL, path string) error {
	var schema string
	if err := db.SQL.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return err
	}
	cmd, err := pgTool(ctx, rawURL, "pg_dump", "--format=plain", "--no-owner", "--no-privileges", "--schema="+schema)
	if err != nil {
		return err
	}
	dump, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pg_dump: %w", err)
	}
	zw := gzip.NewWriter(f)
	_, err = io.WriteString(zw, pgHeader+schema+"\n")
	if err == nil {
		err = stripKeys(dump, zw)
	}
	if err != nil {
		_, _ = io.Copy(io.Discard, dump) // let pg_dump finish instead of blocking on a full pipe
	}
	if werr := cmd.Wait(); werr != nil {
		return fmt.Errorf("pg_dump: %w", werr)
	}
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// stripKeys copies pg_dump's plain output from r to w, writing NULL for the
// wrapped_key of every row of candidate_keys. It fails when the dump holds
// no such table: a backup whose keys were not stripped must not be written.
func stripKeys(r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 1<<16)
	col := -1 // wrapped_key's position while in candidate_keys' COPY block
	seen := false
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			switch {
			case col >= 0 && string(line) == "\\.\n":
				col = -1
			case col >= 0:
				line = nullField(line, col)
			default:
				if c, ok := keysCopy(line); ok {
					if c < 0 {
						return errors.New("backup: candidate_keys has no wrapped_key column")
					}
					col, seen = c, true
				}
			}
			if _, werr := w.Write(line); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
	}
	if col >= 0 {
		return errors.New("backup: the dump ends inside candidate_keys")
	}
	if !seen {
		return errors.New("backup: the dump holds no candidate_keys table")
	}
	return nil
}

// keysCopy recognises "COPY schema.candidate_keys (a, b, …) FROM stdin;"
// and returns wrapped_key's position among the columns (-1 if absent).
func keysCopy(line []byte) (int, bool) {
	rest, ok := bytes.CutPrefix(line, []byte("COPY "))
	if !ok {
		return 0, false
	}
	name, cols, ok := bytes.Cut(rest, []byte(" ("))
	if !ok || !(string(name) == "candidate_keys" || bytes.HasSuffix(name, []byte(".candidate_keys"))) {
		return 0, false
	}
	cols, _, ok = bytes.Cut(cols, []byte(") FROM stdin;"))
	if !ok {
		return 0, false
	}
	for i, c := range strings.Split(string(cols), ", ") {
		if c == "wrapped_key" {
			return i, true
		}
	}
	return -1, true
}

// nullField replaces the i-th tab-separated field of a COPY text line by
// \N. Tabs inside values are escaped as \t in this format, so every tab
// separates fields.
func nullField(line []byte, i int) []byte {
	body, nl := bytes.CutSuffix(line, []byte("\n"))
	fields := bytes.Split(body, []byte("\t"))
	if i < len(fields) {
		fields[i] = []byte(`\N`)
	}
	out := bytes.Join(fields, []byte("\t"))
	if nl {
		out = append(out, '\n')
	}
	return out
}

// pgRestore loads a backup written by pgDump into the database at rawURL,
// whose search_path must lead to the backup's schema, which must hold no
// tables. It runs in one transaction: a failed restore leaves nothing.
func pgRestore(ctx context.Context, rawURL, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s is not a PostgreSQL backup of opstap", path)
	}
	br := bufio.NewReader(zr)
	header, err := br.ReadString('\n')
	schema, ok := strings.CutPrefix(strings.TrimSuffix(header, "\n"), pgHeader)
	if err != nil || !ok || schema == "" {
		return fmt.Errorf("%s is not a PostgreSQL backup of opstap", path)
	}
	if err := pgRestoreTarget(ctx, rawURL, schema); err != nil {
		return err
	}
	cmd, err := pgTool(ctx, rawURL, "psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=-")
	if err != nil {
		return err
	}
	cmd.Stdout = io.Discard
	// The target schema exists already (pgRestoreTarget made sure), which
	// the dump's CREATE SCHEMA would refuse.
	cmd.Stdin = io.MultiReader(strings.NewReader("SET client_min_messages = warning;\n"), &schemaTolerant{r: br})
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("psql: restore failed and changed nothing: %w", err)
	}
	return nil
}

// pgRestoreTarget checks that the URL's search_path leads to schema and
// that the schema is empty, creating it if it does not exist.
func pgRestoreTarget(ctx context.Context, rawURL, schema string) error {
	db, err := store.Open(ctx, rawURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.SQL.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize()); err != nil {
		return err
	}
	var current *string
	if err := db.SQL.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
		return err
	}
	if current == nil || *current != schema {
		return fmt.Errorf("the backup holds schema %q, but the database URL works in another schema: set its search_path to %q", schema, schema)
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1`, schema).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("schema %q holds %d tables already: restore into an empty database", schema, n)
	}
	return nil
}

// schemaTolerant turns the dump's "CREATE SCHEMA x;" into "CREATE SCHEMA
// IF NOT EXISTS x;".
type schemaTolerant struct {
	r   *bufio.Reader
	buf []byte
}

func (s *schemaTolerant) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		line, err := s.r.ReadBytes('\n')
		if rest, ok := bytes.CutPrefix(line, []byte("CREATE SCHEMA ")); ok {
			line = append([]byte("CREATE SCHEMA IF NOT EXISTS "), rest...)
		}
		s.buf = line
		if err != nil {
			if len(s.buf) == 0 {
				return 0, err
			}
			break
		}
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}
