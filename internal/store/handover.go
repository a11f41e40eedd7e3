package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/trajectory"
	"github.com/opstap/opstap/internal/vault"
)

// The hand-over at the end of a contract [003 art 7.5 lid 2]: all data of
// one commissioner's candidates that the successor needs to continue,
// decrypted into a documented format (docs/handover-format.md), and the
// import that reads it back into another Opstap installation under new
// ids and new keys.
//
// Included: the candidate record, every data category of candidate_data
// except the medical segment, the dossier's notes with their full version
// history, the trajectories, the reports and the documents. Left out on
// purpose: medical data, the medical segment and reports that held health
// data, which go to a commissioner only with the candidate's written
// consent and never with a hand-over of the whole file [002 art 4.3, 5.1];
// and the coach and portal account (accounts do not move between
// installations).

// PurposeHandover is the processing purpose of a hand-over.
const PurposeHandover = "handover"

// HandoverFormat names the format and its version. Version 2 added
// trajectories, reports and documents; a version 1 file still imports.
const HandoverFormat = "opstap-handover/2"

// handoverFormatV1 is the first format, without those records.
const handoverFormatV1 = "opstap-handover/1"

// Handover is one commissioner's data.
type Handover struct {
	Format       string              `json:"format"`
	ExportedAt   time.Time           `json:"exported_at"`
	Commissioner HandoverOrg         `json:"commissioner"`
	Candidates   []HandoverCandidate `json:"candidates"`
}

// HandoverOrg identifies the commissioner in any installation.
type HandoverOrg struct {
	Name    string         `json:"name"`
	Kind    opstap.OrgKind `json:"kind"`
	CBSCode string         `json:"cbs_code,omitempty"`
}

// HandoverCandidate is one candidate with its data in clear.
type HandoverCandidate struct {
	ID           string                              `json:"id"` // the id in the exporting installation
	ExternalRef  string                              `json:"external_ref"`
	RegisteredOn opstap.Date                         `json:"registered_on"`
	Restricted   bool                                `json:"restricted"`
	Data         map[opstap.Category]json.RawMessage `json:"data"`
	Dossier      []HandoverEntry                     `json:"dossier"`
	Trajectories []trajectory.Trajectory             `json:"trajectories"`
	Reports      []HandoverReport                    `json:"reports"`
	Documents    []HandoverDocument                  `json:"documents"`
	// Hours are exported for the successor's records; an import leaves
	// them, as placements do not move (docs/handover-format.md).
	Hours []HandoverHours `json:"hours,omitempty"`
}

// HandoverEntry is a dossier entry with its versions, oldest first; the
// last is the current one.
type HandoverEntry struct {
	ID        string            `json:"id"`
	CreatedAt time.Time         `json:"created_at"`
	Versions  []HandoverVersion `json:"versions"`
}

// HandoverVersion is one version of a dossier entry.
type HandoverVersion struct {
	Version    int               `json:"version"`
	Kind       dossier.EntryKind `json:"kind"`
	OccurredOn opstap.Date       `json:"occurred_on"`
	Title      string            `json:"title"`
	Body       string            `json:"body"`
	SavedBy    string            `json:"saved_by"` // the author's name, for the reader: accounts do not move
	SavedAt    time.Time         `json:"saved_at"`
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created      int `json:"created"`
	Skipped      int `json:"skipped"` // already imported (same external reference)
	Entries      int `json:"entries"`
	Trajectories int `json:"trajectories"`
	Reports      int `json:"reports"`
	Documents    int `json:"documents"`
}

func mustSystem(a *opstap.Actor) error {
	if a == nil || !a.System {
		return opstap.Errorf(opstap.EFORBIDDEN, "only the operator can hand over data, from the command line")
	}
	return nil
}

// ExportHandover exports every candidate of the commissioner named by its
// id or CBS code. Only the operator on the command line may: a hand-over
// decrypts the whole file of a controller, outside the access policy's
// per-role rules, at the controller's request [003 art 7.5 lid 2]. Every
// candidate exported is logged as an export.
func (db *DB) ExportHandover(ctx context.Context, a *opstap.Actor, commissioner string) (*Handover, error) {
	if err := mustSystem(a); err != nil {
		return nil, err
	}
	h := &Handover{Format: HandoverFormat, ExportedAt: db.Now().UTC(), Candidates: []HandoverCandidate{}}
	err := db.WithTx(ctx, func(tx *Tx) error {
		org, err := tx.commissionerByRef(ctx, commissioner)
		if err != nil {
			return err
		}
		h.Commissioner = HandoverOrg{Name: org.Name, Kind: org.Kind, CBSCode: org.CBSCode}
		// The return that must come before the deletion at the contract's
		// end (processor.go).
		if err := tx.recordReturned(ctx, org.ID); err != nil {
			return err
		}
		ids, err := tx.strings(ctx, `SELECT id FROM candidates WHERE commissioner_org_id = ? ORDER BY created_at, id`, org.ID)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for _, id := range ids {
			hc, err := tx.handoverCandidate(ctx, id)
			if errors.Is(err, errNoCandidate) {
				continue // erased: its key is destroyed
			} else if err != nil {
				return err
			}
			h.Candidates = append(h.Candidates, *hc)
			e := entryFor(a, audit.EventExport)
			e.CandidateID, e.Purpose, e.Detail = id, PurposeHandover, "hand-over to the controller"
			entries = append(entries, e)
		}
		return tx.Audit(ctx, entries...)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// commissionerByRef finds a commissioner by CBS code or id.
func (tx *Tx) commissionerByRef(ctx context.Context, ref string) (account.Organisation, error) {
	if account.ValidCBS(ref) {
		var id string
		err := tx.queryRow(ctx, `SELECT id FROM organisations WHERE cbs_code = ?`, ref).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return account.Organisation{}, opstap.Errorf(opstap.ENOTFOUND, "unknown commissioner")
		} else if err != nil {
			return account.Organisation{}, err
		}
		ref = id
	}
	return tx.commissioner(ctx, ref)
}

func (tx *Tx) handoverCandidate(ctx context.Context, id string) (*HandoverCandidate, error) {
	c, _, err := tx.candidateSubject(ctx, id)
	if err != nil {
		return nil, err
	}
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return nil, err
	}
	hc := &HandoverCandidate{ID: id, ExternalRef: c.ExternalRef, RegisteredOn: c.RegisteredOn, Restricted: c.Restricted, Data: map[opstap.Category]json.RawMessage{}}
	rows, err := tx.query(ctx, (`SELECT category, ciphertext FROM candidate_data WHERE candidate_id = ? AND category <> ? ORDER BY category`), id, string(opstap.CatMedical))
	if err := each(rows, err, func(rows scanner) error {
		var cat string
		var ct []byte
		if err := rows.Scan(&cat, &ct); err != nil {
			return err
		}
		plain, err := dk.Open(ct, vault.FieldAAD(id, cat))
		if err != nil {
			return err
		}
		hc.Data[opstap.Category(cat)] = plain
		return nil
	}); err != nil {
		return nil, err
	}
	if hc.Dossier, err = tx.handoverEntries(ctx, dk, id); err != nil {
		return nil, err
	}
	if hc.Hours, err = tx.handoverHours(ctx, id); err != nil {
		return nil, err
	}
	return hc, tx.handoverRecords(ctx, dk, id, hc)
}

// handoverEntries reads the notes segment with every version.
func (tx *Tx) handoverEntries(ctx context.Context, dk vault.DataKey, id string) ([]HandoverEntry, error) {
	kinds := make([]any, 0, len(dossier.NoteKinds)+1)
	kinds = append(kinds, id)
	for _, k := range dossier.NoteKinds {
		kinds = append(kinds, string(k))
	}
	rows, err := tx.query(ctx, (`SELECT id, created_at FROM dossier_entries WHERE candidate_id = ? AND kind IN (` + placeholders(len(dossier.NoteKinds)) + `) ORDER BY created_at, id`), kinds...)
	out := []HandoverEntry{}
	if err := each(rows, err, func(rows scanner) error {
		var e HandoverEntry
		if err := rows.Scan(&e.ID, scanTime(&e.CreatedAt)); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	}); err != nil {
		return nil, err
	}
	for i := range out {
		vs, err := tx.versions(ctx, dk, id, out[i].ID)
		if err != nil {
			return nil, err
		}
		for j := len(vs) - 1; j >= 0; j-- { // oldest first
			v := vs[j]
			out[i].Versions = append(out[i].Versions, HandoverVersion{Version: v.Version, Kind: v.Kind, OccurredOn: v.OccurredOn,
				Title: v.Title, Body: v.Body, SavedBy: v.SavedByName, SavedAt: v.SavedAt})
		}
	}
	return out, nil
}

// ImportHandover reads a hand-over into this installation, in one
// transaction (all or nothing): the commissioner is found by CBS code, or
// by name and kind, or created; every candidate gets a new id and a new
// data key. A candidate whose external reference the commissioner already
// has is skipped, so importing the same file twice changes nothing; a
// candidate without one gets "handover:<old id>" as its reference.
func (db *DB) ImportHandover(ctx context.Context, a *opstap.Actor, h *Handover) (ImportResult, error) {
	var res ImportResult
	if err := mustSystem(a); err != nil {
		return res, err
	}
	if h == nil || (h.Format != HandoverFormat && h.Format != handoverFormatV1) {
		return res, opstap.FieldError("format", "not an Opstap hand-over file (format %s expected)", HandoverFormat)
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		res = ImportResult{}
		orgID, entries, err := tx.importOrganisation(ctx, a, h.Commissioner)
		if err != nil {
			return err
		}
		rg := tx.newRegistrar(a)
		type pending struct {
			id string
			hc *HandoverCandidate
		}
		var todo []pending
		for i := range h.Candidates {
			r, err := handoverRegistration(orgID, &h.Candidates[i])
			if err != nil {
				return err
			}
			c, err := rg.add(ctx, r)
			if err != nil {
				return err
			}
			if c == nil {
				res.Skipped++
				continue
			}
			todo = append(todo, pending{c.ID, &h.Candidates[i]})
		}
		// The registration entries go with the rest, in one append.
		entries = append(entries, rg.entries...)
		rg.entries = nil
		if err := rg.flush(ctx); err != nil {
			return err
		}
		for _, p := range todo {
			es, n, err := tx.importData(ctx, a, p.id, p.hc, &res)
			if err != nil {
				return err
			}
			res.Created++
			res.Entries += n
			entries = append(entries, es...)
		}
		return tx.Audit(ctx, entries...)
	})
	return res, err
}

func (tx *Tx) importOrganisation(ctx context.Context, a *opstap.Actor, o HandoverOrg) (string, []audit.Entry, error) {
	org := account.Organisation{Name: o.Name, Kind: o.Kind, CBSCode: o.CBSCode}
	if err := org.Validate(); err != nil || !org.Kind.Commissioner() {
		return "", nil, opstap.FieldError("commissioner", "the file names no valid commissioner")
	}
	var id string
	var err error
	if org.CBSCode != "" {
		err = tx.queryRow(ctx, `SELECT id FROM organisations WHERE cbs_code = ?`, org.CBSCode).Scan(&id)
	} else {
		err = tx.queryRow(ctx, `SELECT id FROM organisations WHERE name = ? AND kind = ? ORDER BY created_at LIMIT 1`, org.Name, string(org.Kind)).Scan(&id)
	}
	if err == nil {
		return id, nil, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return "", nil, err
	}
	id = newID()
	var cbs any
	if org.CBSCode != "" {
		cbs = org.CBSCode
	}
	if _, err := tx.exec(ctx, `INSERT INTO organisations (id, name, kind, cbs_code, created_at) VALUES (?, ?, ?, ?, ?)`, id, org.Name, string(org.Kind), cbs, tx.Now()); err != nil {
		return "", nil, err
	}
	e := entryFor(a, audit.EventOrgChange)
	e.Detail = "created organisation " + id + " from a hand-over"
	return id, []audit.Entry{e}, nil
}

// handoverRegistration is the registration of an exported candidate.
func handoverRegistration(orgID string, hc *HandoverCandidate) (candidate.Registration, error) {
	r := candidate.Registration{CommissionerOrgID: orgID, ExternalRef: hc.ExternalRef, RegisteredOn: hc.RegisteredOn}
	if r.ExternalRef == "" {
		r.ExternalRef = "handover:" + hc.ID
	}
	if err := unmarshalCategory(hc.Data, opstap.CatBasic, &r.Basic); err != nil {
		return r, err
	}
	var bsn candidate.BSN
	err := unmarshalCategory(hc.Data, opstap.CatBSN, &bsn)
	r.BSN = bsn.Number
	return r, err
}

// importData writes the categories beyond the registration and the
// dossier of a newly registered candidate.
func (tx *Tx) importData(ctx context.Context, a *opstap.Actor, id string, hc *HandoverCandidate, res *ImportResult) ([]audit.Entry, int, error) {
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	d := candidateEntry(a, access.Decision{}, id, "", opstap.Write, PurposeHandover)
	var entries []audit.Entry
	for cat, raw := range hc.Data {
		if cat == opstap.CatBasic || cat == opstap.CatBSN || cat == opstap.CatMedical || !cat.Valid() {
			continue
		}
		if err := tx.putCategory(ctx, dk, id, cat, raw, "handover"); err != nil {
			return nil, 0, err
		}
		e := d
		e.Category = string(cat)
		entries = append(entries, e)
	}
	n, err := tx.importEntries(ctx, dk, id, hc.Dossier)
	if err != nil {
		return nil, 0, err
	}
	if err := tx.importRecords(ctx, dk, id, hc, res); err != nil {
		return nil, 0, err
	}
	if hc.Restricted {
		if _, err := tx.exec(ctx, `UPDATE candidates SET restricted_at = ? WHERE id = ?`, tx.Now(), id); err != nil {
			return nil, 0, err
		}
	}
	e := d
	e.Category, e.Detail = string(opstap.CatNotes), "imported from a hand-over"
	return append(entries, e), n, nil
}

func unmarshalCategory(data map[opstap.Category]json.RawMessage, cat opstap.Category, dst any) error {
	raw, ok := data[cat]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return opstap.FieldError(string(cat), "the data does not fit this category")
	}
	return nil
}

// importEntries writes dossier entries: the last version as the entry,
// the earlier ones as its history, each sealed under the new key.
func (tx *Tx) importEntries(ctx context.Context, dk vault.DataKey, candidateID string, es []HandoverEntry) (int, error) {
	n := 0
	for _, he := range es {
		if len(he.Versions) == 0 {
			continue
		}
		cur := he.Versions[len(he.Versions)-1]
		if cur.Kind.Category() != opstap.CatNotes {
			continue // the medical segment never travels in a hand-over
		}
		id := newID()
		if _, err := tx.exec(ctx, `INSERT INTO dossier_entries (id, candidate_id, kind, occurred_on, version, ciphertext, author_id, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, candidateID, string(cur.Kind), cur.OccurredOn, cur.Version,
			sealEntry(dk, candidateID, id, cur.Version, cur.Title, cur.Body), "handover", he.CreatedAt.UTC(), "handover", cur.SavedAt.UTC()); err != nil {
			return n, err
		}
		for i, v := range he.Versions[:len(he.Versions)-1] {
			next := he.Versions[i+1]
			if _, err := tx.exec(ctx, `INSERT INTO dossier_entry_versions (entry_id, version, kind, occurred_on, ciphertext, saved_by, saved_at, superseded_by, superseded_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, v.Version, string(v.Kind), v.OccurredOn, sealEntry(dk, candidateID, id, v.Version, v.Title, v.Body),
				"handover", v.SavedAt.UTC(), "handover", next.SavedAt.UTC()); err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}
