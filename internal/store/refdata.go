package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/refdata"
	"github.com/opstap/opstap/internal/vault"
)

// Reference data (issue 5; DOMAIN.md §5): ESCO occupations and GeoNames
// postcodes with their municipalities, imported from the publishers' files.
// An import is one transaction, so a bad file changes nothing, and it makes
// the tables hold exactly the file's rows, so importing the same file again
// changes nothing either.

// The kinds of reference file.
const (
	RefdataOccupations = "occupations"
	RefdataPostcodes   = "postcodes"
)

// MaxRefdataFile bounds an import file: the ESCO export is 2.6 MB, the
// GeoNames file 0.3 MB.
const MaxRefdataFile = 32 << 20

// RefdataImport is one import of a reference file.
type RefdataImport struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	Source     string    `json:"source"` // the file's name
	Rows       int       `json:"rows"`
	Added      int       `json:"added"`
	Removed    int       `json:"removed"`
	SHA256     string    `json:"sha256"`
	ImportedBy string    `json:"imported_by"` // user id, or "system" for the command line and the demo
	ImportedAt time.Time `json:"imported_at"`
}

// refTable describes a reference table for the set replacement: its key
// column comes first in cols.
type refTable struct {
	name string
	cols []string
}

var (
	occupationsTable    = refTable{"occupations", []string{"uri", "code", "isco", "label", "alt_labels", "description", "search"}}
	municipalitiesTable = refTable{"municipalities", []string{"cbs_code", "name", "province"}}
	postcodesTable      = refTable{"postcodes", []string{"code4", "place", "municipality", "cbs_code", "province", "lat", "lon"}}
)

// ImportOccupations replaces the occupations with those of an ESCO
// occupations CSV export. source is the file's name, for the history.
func (db *DB) ImportOccupations(ctx context.Context, a *opstap.Actor, source string, r io.Reader) (*RefdataImport, error) {
	return db.importRefdata(ctx, a, RefdataOccupations, source, r, func(tx *Tx, content io.Reader) (int, int, int, error) {
		occs, err := refdata.ParseESCO(content)
		if err != nil {
			return 0, 0, 0, err
		}
		rows := make([][]any, len(occs))
		for i, o := range occs {
			rows[i] = []any{o.URI, o.Code, o.ISCO, o.Label, strings.Join(o.AltLabels, "\n"), o.Description, occupationSearch(o)}
		}
		added, missing, err := tx.upsertAll(ctx, occupationsTable, rows)
		if err == nil {
			err = tx.deleteKeys(ctx, occupationsTable, missing)
		}
		return len(occs), added, len(missing), err
	})
}

// ImportPostcodes replaces the postcodes and municipalities with those of
// a GeoNames Dutch postal-code file.
func (db *DB) ImportPostcodes(ctx context.Context, a *opstap.Actor, source string, r io.Reader) (*RefdataImport, error) {
	return db.importRefdata(ctx, a, RefdataPostcodes, source, r, func(tx *Tx, content io.Reader) (int, int, int, error) {
		ps, err := refdata.ParsePostcodes(content)
		if err != nil {
			return 0, 0, 0, err
		}
		ms := refdata.Municipalities(ps)
		mrows := make([][]any, len(ms))
		for i, m := range ms {
			mrows[i] = []any{m.CBSCode, m.Name, m.Province}
		}
		prows := make([][]any, len(ps))
		for i, p := range ps {
			prows[i] = []any{p.Code4, p.Place, p.Municipality, nullIfEmpty(p.CBSCode), p.Province, p.Lat, p.Lon}
		}
		// Municipalities first and last: new postcodes refer to new
		// municipalities, and an old municipality goes only once no
		// postcode refers to it.
		_, goneM, err := tx.upsertAll(ctx, municipalitiesTable, mrows)
		if err != nil {
			return 0, 0, 0, err
		}
		added, goneP, err := tx.upsertAll(ctx, postcodesTable, prows)
		if err == nil {
			err = tx.deleteKeys(ctx, postcodesTable, goneP)
		}
		if err == nil {
			err = tx.deleteKeys(ctx, municipalitiesTable, goneM)
		}
		return len(ps), added, len(goneP), err
	})
}

// importRefdata checks the capability, reads the file whole (to hash it),
// and runs load and the history row in one transaction. load returns the
// rows in the file, the rows added and the rows removed.
func (db *DB) importRefdata(ctx context.Context, a *opstap.Actor, kind, source string, r io.Reader,
	load func(tx *Tx, content io.Reader) (rows, added, removed int, err error)) (*RefdataImport, error) {
	// Reference data shapes every match, so only an application admin or
	// the system may replace it [002 art 8.2].
	if !can(a, access.ManageAccounts) {
		return nil, forbidden()
	}
	content, err := io.ReadAll(io.LimitReader(r, MaxRefdataFile+1))
	if err != nil {
		return nil, err
	}
	if len(content) > MaxRefdataFile {
		return nil, opstap.FieldError("file", "the file is larger than %d MiB", MaxRefdataFile>>20)
	}
	sum := sha256.Sum256(content)
	imp := &RefdataImport{ID: newID(), Kind: kind, Source: source, SHA256: hex.EncodeToString(sum[:]), ImportedBy: "system"}
	if !a.System {
		imp.ImportedBy = a.UserID
	}
	err = db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if imp.Rows, imp.Added, imp.Removed, err = load(tx, bytes.NewReader(content)); err != nil {
			return err
		}
		imp.ImportedAt = tx.Now()
		_, err = tx.exec(ctx, `INSERT INTO refdata_imports (id, kind, source, row_count, added, removed, sha256, imported_by, imported_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, imp.ID, imp.Kind, imp.Source, imp.Rows, imp.Added, imp.Removed, imp.SHA256, imp.ImportedBy, imp.ImportedAt)
		return err
	})
	if err != nil {
		return nil, err
	}
	return imp, nil
}

// upsertBatch is the number of rows per INSERT: well below both engines'
// limits on parameters, and few round trips on PostgreSQL.
const upsertBatch = 250

// upsertAll inserts or updates rows (each starting with its key) in
// batches, and returns how many keys are new and which keys the table held
// that rows lack.
func (tx *Tx) upsertAll(ctx context.Context, t refTable, rows [][]any) (added int, missing []string, err error) {
	have, err := tx.keys(ctx, t)
	if err != nil {
		return 0, nil, err
	}
	for _, row := range rows {
		k := row[0].(string)
		if _, ok := have[k]; ok {
			delete(have, k)
		} else {
			added++
		}
	}
	for k := range have {
		missing = append(missing, k)
	}
	for start := 0; start < len(rows); start += upsertBatch {
		batch := rows[start:min(start+upsertBatch, len(rows))]
		if _, err := tx.exec(ctx, upsertSQL(t, len(batch)), flatten(batch)...); err != nil {
			return 0, nil, err
		}
	}
	return added, missing, nil
}

func (tx *Tx) keys(ctx context.Context, t refTable) (map[string]struct{}, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT `+t.cols[0]+` FROM `+t.name)
	have := map[string]struct{}{}
	if err := each(rows, err, func(rows scanner) error {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		have[k] = struct{}{}
		return nil
	}); err != nil {
		return nil, err
	}
	return have, nil
}

// upsertSQL is INSERT … VALUES (…), … ON CONFLICT (key) DO UPDATE, which
// both engines accept.
func upsertSQL(t refTable, n int) string {
	one := "(" + strings.Repeat("?, ", len(t.cols)-1) + "?)"
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	b.WriteString(" ON CONFLICT (" + t.cols[0] + ") DO UPDATE SET ")
	for i, c := range t.cols[1:] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
	}
	return b.String()
}

func flatten(rows [][]any) []any {
	var out []any
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// deleteKeys removes rows one by one, so that a row still referred to
// elsewhere (a postcode of an assignment) is named in the refusal.
func (tx *Tx) deleteKeys(ctx context.Context, t refTable, keys []string) error {
	for _, k := range keys {
		if _, err := tx.exec(ctx, `DELETE FROM `+t.name+` WHERE `+t.cols[0]+` = ?`, k); err != nil {
			if opstap.ErrorCode(err) == opstap.EINVALID {
				return opstap.Errorf(opstap.ECONFLICT, "%s is missing from the new file but still in use", k)
			}
			return err
		}
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// occupationSearch is what FindOccupations matches: the labels,
// normalised, the preferred label first.
func occupationSearch(o refdata.Occupation) string {
	parts := []string{searchText(o.Label)}
	for _, l := range o.AltLabels {
		parts = append(parts, searchText(l))
	}
	return strings.Join(parts, " | ")
}

// searchText lower-cases and accent-folds s and drops the characters LIKE
// treats specially and the label separator.
func searchText(s string) string {
	return vault.Normalise(strings.NewReplacer("%", " ", "_", " ", "|", " ", `\`, " ").Replace(s))
}

// Limits of FindOccupations.
const (
	DefaultOccupationResults = 20
	MaxOccupationResults     = 100
)

// FindOccupations finds occupations whose labels contain every word of
// query, ignoring case and accents ("clie" finds "cliënt"). Labels that
// start with the query come first, then shorter labels: the plain
// occupation before its specialisations.
func (db *DB) FindOccupations(ctx context.Context, query string, limit int) ([]refdata.Occupation, error) {
	if err := checkSearch(query); err != nil {
		return nil, err
	}
	q := searchText(query)
	if len([]rune(q)) < 2 {
		return nil, opstap.FieldError("q", "type at least two letters")
	}
	if limit <= 0 {
		limit = DefaultOccupationResults
	}
	limit = min(limit, MaxOccupationResults)
	where, args := "", []any{}
	for _, w := range strings.Fields(q) {
		where += " AND search LIKE ?"
		args = append(args, "%"+w+"%")
	}
	args = append(args, q+"%", limit)
	var out []refdata.Occupation
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, db.rebind(`SELECT `+occupationCols+` FROM occupations
			WHERE 1 = 1`+where+` ORDER BY CASE WHEN search LIKE ? THEN 0 ELSE 1 END, LENGTH(label), label, uri LIMIT ?`), args...)
		if err := each(rows, err, func(rows scanner) error {
			o, err := scanOccupation(rows)
			if err != nil {
				return err
			}
			out = append(out, o)
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	return out, err
}

const occupationCols = `uri, code, isco, label, alt_labels, description`

func scanOccupation(row scanner) (refdata.Occupation, error) {
	var o refdata.Occupation
	var alts string
	err := row.Scan(&o.URI, &o.Code, &o.ISCO, &o.Label, &alts, &o.Description)
	o.AltLabels = []string{}
	if alts != "" {
		o.AltLabels = strings.Split(alts, "\n")
	}
	return o, err
}

// FindOccupation returns the occupation with an ESCO code ("9333.8.1") or
// concept URI.
func (db *DB) FindOccupation(ctx context.Context, ref string) (*refdata.Occupation, error) {
	var o refdata.Occupation
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		o, err = scanOccupation(tx.queryRow(ctx, `SELECT `+occupationCols+` FROM occupations WHERE uri = ? OR code = ?`, ref, ref))
		return notFound(err, "unknown occupation")
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// FindPostcode returns a 4-digit postcode with its place, municipality and
// coordinates.
func (db *DB) FindPostcode(ctx context.Context, code4 string) (*refdata.Postcode, error) {
	code4 = strings.TrimSpace(code4)
	if !refdata.ValidPostcode4(code4) {
		return nil, opstap.FieldError("postcode", "not a Dutch four-digit postcode")
	}
	var p refdata.Postcode
	err := db.WithTx(ctx, func(tx *Tx) error {
		var cbs sql.NullString
		err := tx.queryRow(ctx, `SELECT code4, place, municipality, cbs_code, province, lat, lon FROM postcodes WHERE code4 = ?`, code4).
			Scan(&p.Code4, &p.Place, &p.Municipality, &cbs, &p.Province, &p.Lat, &p.Lon)
		p.CBSCode = cbs.String
		return notFound(err, "unknown postcode")
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// FindMunicipality returns the municipality with a CBS code.
func (db *DB) FindMunicipality(ctx context.Context, cbs string) (*refdata.Municipality, error) {
	if !account.ValidCBS(cbs) {
		return nil, opstap.FieldError("cbs_code", "a municipality needs its four-digit CBS code")
	}
	var m refdata.Municipality
	err := db.WithTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT cbs_code, name, province FROM municipalities WHERE cbs_code = ?`, cbs).Scan(&m.CBSCode, &m.Name, &m.Province)
		return notFound(err, "unknown municipality")
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// MunicipalityOrg returns the organisation of the municipality with a CBS
// code: the commissioner whose candidates and assignments lie there.
func (db *DB) MunicipalityOrg(ctx context.Context, cbs string) (*account.Organisation, error) {
	if !account.ValidCBS(cbs) {
		return nil, opstap.FieldError("cbs_code", "a municipality needs its four-digit CBS code")
	}
	var o account.Organisation
	err := db.WithTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT id, name, kind, cbs_code, created_at FROM organisations WHERE cbs_code = ? AND kind = ?`, cbs, string(opstap.OrgMunicipality)).
			Scan(&o.ID, &o.Name, &o.Kind, &o.CBSCode, scanTime(&o.CreatedAt))
		return notFound(err, "no organisation for this municipality")
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func notFound(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return opstap.Errorf(opstap.ENOTFOUND, msg)
	}
	return err
}

// RefdataStatus is what the reference-data admin page shows.
type RefdataStatus struct {
	Occupations    int             `json:"occupations"`
	Postcodes      int             `json:"postcodes"`
	Municipalities int             `json:"municipalities"`
	Imports        []RefdataImport `json:"imports"` // newest first
}

// maxImportHistory bounds the history shown.
const maxImportHistory = 50

// RefdataOverview counts the reference data and lists the latest imports.
func (db *DB) RefdataOverview(ctx context.Context, a *opstap.Actor) (*RefdataStatus, error) {
	if !can(a, access.ManageAccounts) {
		return nil, forbidden()
	}
	st := &RefdataStatus{Imports: []RefdataImport{}}
	err := db.WithTx(ctx, func(tx *Tx) error {
		for _, c := range []struct {
			table string
			n     *int
		}{{"occupations", &st.Occupations}, {"postcodes", &st.Postcodes}, {"municipalities", &st.Municipalities}} {
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+c.table).Scan(c.n); err != nil {
				return err
			}
		}
		rows, err := tx.tx.QueryContext(ctx, db.rebind(`SELECT id, kind, source, row_count, added, removed, sha256, imported_by, imported_at
			FROM refdata_imports ORDER BY imported_at DESC, id LIMIT ?`), maxImportHistory)
		if err := each(rows, err, func(rows scanner) error {
			var i RefdataImport
			if err := rows.Scan(&i.ID, &i.Kind, &i.Source, &i.Rows, &i.Added, &i.Removed, &i.SHA256, &i.ImportedBy, scanTime(&i.ImportedAt)); err != nil {
				return err
			}
			st.Imports = append(st.Imports, i)
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}
