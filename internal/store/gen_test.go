package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/vault"
)

// genBatch is the number of candidates per transaction, and genRows the
// rows per INSERT: 500 rows of at most 10 columns stay far below the
// parameter limits of both engines.
const (
	genBatch = 1000
	genRows  = 500
)

// GenerateDossiers bulk-inserts n candidates of the commissioner, coached
// by coachID, each with m dossier entries, for benchmarks. Everything is
// sealed as the store seals it (data keys, basic data, entry texts), but
// written with multi-row inserts in large transactions and without audit
// entries, so millions of rows take minutes. It returns the candidates' ids.
func GenerateDossiers(ctx context.Context, db *DB, commissionerID, coachID string, n, m int) ([]string, error) {
	ids := make([]string, 0, n)
	for start := 0; start < n; start += genBatch {
		batch := min(genBatch, n-start)
		err := db.WithTx(ctx, func(tx *Tx) error {
			g := &generator{tx: tx, commissioner: commissionerID, coach: coachID}
			for i := range batch {
				id, err := g.candidate(start+i, m)
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return g.flush(ctx)
		})
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// generator collects one transaction's rows per table.
type generator struct {
	tx                  *Tx
	commissioner, coach string
	keys, cands, data   [][]any
	entries             [][]any
}

var genWords = strings.Fields("gesprek sollicitatie werkervaring motivatie training vacature planning afspraak " +
	"voortgang reflectie netwerk contact zorg logistiek horeca kinderopvang uren reistijd taal cursus")

func (g *generator) candidate(i, m int) (string, error) {
	now := g.tx.Now()
	id := newID()
	dk, wrapped, version, err := g.tx.db.Keyring.NewDataKey(id)
	if err != nil {
		return "", err
	}
	born := opstap.Date{Year: 1960 + i%45, Month: time.Month(1 + i%12), Day: 1 + i%28}
	basic, _ := json.Marshal(candidate.Basic{FirstName: fmt.Sprintf("Kandidaat%d", i), LastName: "Test", BirthDate: born, Postcode: "1315AB"})
	g.keys = append(g.keys, []any{id, version, wrapped, now})
	g.cands = append(g.cands, []any{id, g.commissioner, g.coach, fmt.Sprintf("GEN-%d", i), "1315", opstap.DateOf(now), now})
	g.data = append(g.data, []any{id, string(opstap.CatBasic), dk.Seal(basic, vault.FieldAAD(id, string(opstap.CatBasic))), now, g.coach})
	today := opstap.DateOf(now)
	for j := range m {
		eid := newID()
		var body strings.Builder
		for k := range 30 {
			body.WriteString(genWords[(i+j*7+k*3)%len(genWords)] + " ")
		}
		kind := NoteKinds[j%len(NoteKinds)]
		g.entries = append(g.entries, []any{eid, id, string(kind), today.AddDays(-(j*37 + i) % 1000), 1,
			sealEntry(dk, id, eid, 1, fmt.Sprintf("Notitie %d", j+1), body.String()), g.coach, now, g.coach, now})
	}
	return id, nil
}

func (g *generator) flush(ctx context.Context) error {
	tables := []struct {
		head string
		rows [][]any
	}{
		{"candidate_keys (candidate_id, key_version, wrapped_key, created_at)", g.keys},
		{"candidates (id, commissioner_org_id, coach_user_id, external_ref, postcode4, registered_on, created_at)", g.cands},
		{"candidate_data (candidate_id, category, ciphertext, updated_at, updated_by)", g.data},
		{"dossier_entries (id, candidate_id, kind, occurred_on, version, ciphertext, author_id, created_at, updated_by, updated_at)", g.entries},
	}
	for _, t := range tables {
		if err := g.tx.insertRows(ctx, t.head, t.rows); err != nil {
			return err
		}
	}
	return nil
}

// insertRows inserts rows with multi-row INSERTs of genRows rows each.
func (tx *Tx) insertRows(ctx context.Context, head string, rows [][]any) error {
	for len(rows) > 0 {
		chunk := rows[:min(genRows, len(rows))]
		rows = rows[len(chunk):]
		tuple := "(?" + strings.Repeat(",?", len(chunk[0])-1) + ")"
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := "INSERT INTO " + head + " VALUES " + tuple + strings.Repeat(","+tuple, len(chunk)-1)
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
