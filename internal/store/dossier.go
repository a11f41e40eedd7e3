package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/vault"
)

// EntryPage is the number of entries a dossier page shows: the latest
// ones, so opening a long dossier stays fast.
const EntryPage = 50

// Entry is the current version of a dossier entry.
type Entry struct {
	ID          string            `json:"id"`
	CandidateID string            `json:"candidate_id"`
	Kind        dossier.EntryKind `json:"kind"`
	Title       string            `json:"title"`
	Body        string            `json:"body"`
	OccurredOn  opstap.Date       `json:"occurred_on"`
	Version     int               `json:"version"`
	AuthorID    string            `json:"author_id"`
	AuthorName  string            `json:"author_name"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedBy   string            `json:"updated_by"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// EntryVersion is one version in an entry's history, newest first; the
// first is the current one.
type EntryVersion struct {
	Version     int               `json:"version"`
	Kind        dossier.EntryKind `json:"kind"`
	Title       string            `json:"title"`
	Body        string            `json:"body"`
	OccurredOn  opstap.Date       `json:"occurred_on"`
	SavedBy     string            `json:"saved_by"`
	SavedByName string            `json:"saved_by_name"`
	SavedAt     time.Time         `json:"saved_at"`
	Current     bool              `json:"current"`
}

// EntryList is one page of entries, newest first.
type EntryList struct {
	Entries []Entry `json:"entries"`
	More    bool    `json:"more"` // older entries exist beyond this page
}

// EntryQuery selects a page of entries.
type EntryQuery struct {
	Kind dossier.EntryKind // "" for every kind of the segment
	Page int               // 0 is the latest EntryPage entries
}

// entryText is what is sealed: title and body together.
type entryText struct {
	Title string `json:"t"`
	Body  string `json:"b"`
}

// entryAAD binds a sealed text to its candidate, entry and version, so a
// ciphertext cannot be moved to another entry or passed off as another
// version.
func entryAAD(candidateID, entryID string, version int) string {
	return vault.FieldAAD(candidateID, "dossier/"+entryID+"/"+strconv.Itoa(version))
}

func sealEntry(dk vault.DataKey, candidateID, entryID string, version int, title, body string) []byte {
	plain, _ := json.Marshal(entryText{title, body})
	return dk.Seal(plain, entryAAD(candidateID, entryID, version))
}

func openEntry(dk vault.DataKey, candidateID, entryID string, version int, ct []byte) (entryText, error) {
	var t entryText
	plain, err := dk.Open(ct, entryAAD(candidateID, entryID, version))
	if err != nil {
		return t, err
	}
	return t, json.Unmarshal(plain, &t)
}

const entryColumns = `e.id, e.candidate_id, e.kind, e.occurred_on, e.version, e.ciphertext, e.author_id, COALESCE(u.name, ''), e.created_at, e.updated_by, e.updated_at`

func scanEntry(row scanner, ct *[]byte) (Entry, error) {
	var e Entry
	err := row.Scan(&e.ID, &e.CandidateID, &e.Kind, &e.OccurredOn, &e.Version, ct, &e.AuthorID, &e.AuthorName, scanTime(&e.CreatedAt), &e.UpdatedBy, scanTime(&e.UpdatedAt))
	return e, err
}

// openCandidate is the start of every dossier access: it loads the
// candidate, asks the policy for cat and act, and unwraps the data key.
func (tx *Tx) openCandidate(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, vault.DataKey, error) {
	return tx.openCandidateAs(ctx, tx.db.decide, a, id, cat, act, purpose, reason)
}

// openCandidateView is openCandidate for a caller that honours d.View.
func (tx *Tx) openCandidateView(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, vault.DataKey, error) {
	return tx.openCandidateAs(ctx, tx.db.decideView, a, id, cat, act, purpose, reason)
}

type decider func(ctx context.Context, a *opstap.Actor, s access.Subject, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, error)

func (tx *Tx) openCandidateAs(ctx context.Context, decide decider, a *opstap.Actor, id string, cat opstap.Category, act opstap.Action, purpose, reason string) (access.Decision, vault.DataKey, error) {
	_, s, err := tx.candidateSubject(ctx, id)
	if err != nil {
		return access.Decision{}, vault.DataKey{}, err
	}
	d, err := decide(ctx, a, s, cat, act, purpose, reason)
	if err != nil {
		return d, vault.DataKey{}, err
	}
	dk, err := tx.dataKey(ctx, id)
	return d, dk, err
}

// listEntries reads one page of a candidate's entries of a segment.
func (tx *Tx) listEntries(ctx context.Context, dk vault.DataKey, id string, cat opstap.Category, q EntryQuery) (EntryList, error) {
	kinds := dossier.KindsOf(cat)
	if q.Kind != "" {
		if q.Kind.Category() != cat {
			return EntryList{}, opstap.FieldError("kind", "unknown kind of dossier entry")
		}
		kinds = []dossier.EntryKind{q.Kind}
	}
	args := []any{id}
	for _, k := range kinds {
		args = append(args, string(k))
	}
	args = append(args, EntryPage+1, max(q.Page, 0)*EntryPage)
	// The index (candidate_id, kind, occurred_on) finds the candidate's
	// entries of these kinds; only they are sorted.
	rows, err := tx.query(ctx, (`SELECT ` + entryColumns + ` FROM dossier_entries e LEFT JOIN users u ON u.id = e.author_id
		WHERE e.candidate_id = ? AND e.kind IN (?` + strings.Repeat(",?", len(kinds)-1) + `)
		ORDER BY e.occurred_on DESC, e.created_at DESC, e.id LIMIT ? OFFSET ?`), args...)
	l := EntryList{Entries: []Entry{}}
	if err := each(rows, err, func(rows scanner) error {
		var ct []byte
		e, err := scanEntry(rows, &ct)
		if err != nil {
			return err
		}
		if err := e.open(dk, ct); err != nil {
			return err
		}
		l.Entries = append(l.Entries, e)
		return nil
	}); err != nil {
		return EntryList{}, err
	}
	if len(l.Entries) > EntryPage {
		l.Entries, l.More = l.Entries[:EntryPage], true
	}
	return l, nil
}

func (e *Entry) open(dk vault.DataKey, ct []byte) error {
	t, err := openEntry(dk, e.CandidateID, e.ID, e.Version, ct)
	e.Title, e.Body = t.Title, t.Body
	return err
}

// Entries returns a page of a candidate's dossier entries (category notes)
// or medical entries (category medical, medical experts only [002 art 4.3]),
// as the access policy allows; the read is logged.
func (db *DB) Entries(ctx context.Context, a *opstap.Actor, id string, cat opstap.Category, q EntryQuery, purpose, reason string) (EntryList, error) {
	var l EntryList
	if cat != opstap.CatNotes && cat != opstap.CatMedical {
		return l, opstap.FieldError("category", "unknown data category")
	}
	err := db.auditedRead(ctx, func(tx *Tx) error {
		d, dk, err := tx.openCandidate(ctx, a, id, cat, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		if l, err = tx.listEntries(ctx, dk, id, cat, q); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Read, purpose))
	})
	return l, err
}

// CreateEntry adds an entry to a candidate's dossier; the kind decides
// the category the policy checks (notes, or medical for the medical
// segment). The write is logged.
func (db *DB) CreateEntry(ctx context.Context, a *opstap.Actor, id string, in dossier.EntryInput, purpose string) (*Entry, error) {
	if err := in.Validate(opstap.DateOf(db.Now())); err != nil {
		return nil, err
	}
	var e *Entry
	err := db.WithTx(ctx, func(tx *Tx) error {
		cat := in.Kind.Category()
		d, dk, err := tx.openCandidate(ctx, a, id, cat, opstap.Write, purpose, "")
		if err != nil {
			return err
		}
		e = &Entry{ID: newID(), CandidateID: id, Kind: in.Kind, Title: in.Title, Body: in.Body, OccurredOn: in.OccurredOn, Version: 1,
			AuthorID: a.UserID, AuthorName: a.Name, CreatedAt: tx.Now(), UpdatedBy: a.UserID, UpdatedAt: tx.Now()}
		if _, err := tx.exec(ctx, `INSERT INTO dossier_entries (id, candidate_id, kind, occurred_on, version, ciphertext, author_id, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, id, string(e.Kind), e.OccurredOn, e.Version,
			sealEntry(dk, id, e.ID, e.Version, e.Title, e.Body), e.AuthorID, e.CreatedAt, e.UpdatedBy, e.UpdatedAt); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Write, purpose))
	})
	return e, err
}

var errNoEntry = opstap.Errorf(opstap.ENOTFOUND, "no such dossier entry")

// entryKind returns the kind of a candidate's entry, so the policy can be
// asked for its category before anything of it is read.
func (tx *Tx) entryKind(ctx context.Context, id, entryID string) (dossier.EntryKind, error) {
	var k dossier.EntryKind
	err := tx.queryRow(ctx, `SELECT kind FROM dossier_entries WHERE id = ? AND candidate_id = ?`, entryID, id).Scan(&k)
	if errors.Is(err, sql.ErrNoRows) {
		return k, errNoEntry
	}
	return k, err
}

// openEntryFor checks that the candidate exists, finds the entry's kind,
// and asks the policy for its category.
func (tx *Tx) openEntryFor(ctx context.Context, a *opstap.Actor, id, entryID string, act opstap.Action, purpose, reason string) (access.Decision, vault.DataKey, opstap.Category, error) {
	if _, _, err := tx.candidateSubject(ctx, id); err != nil {
		return access.Decision{}, vault.DataKey{}, "", err
	}
	k, err := tx.entryKind(ctx, id, entryID)
	if err != nil {
		return access.Decision{}, vault.DataKey{}, "", err
	}
	d, dk, err := tx.openCandidate(ctx, a, id, k.Category(), act, purpose, reason)
	return d, dk, k.Category(), err
}

func (tx *Tx) loadEntry(ctx context.Context, dk vault.DataKey, entryID string) (*Entry, []byte, error) {
	var ct []byte
	e, err := scanEntry(tx.queryRow(ctx, `SELECT `+entryColumns+` FROM dossier_entries e LEFT JOIN users u ON u.id = e.author_id WHERE e.id = ?`, entryID), &ct)
	if err != nil {
		return nil, nil, err
	}
	return &e, ct, e.open(dk, ct)
}

// Entry returns the current version of one entry; the read is logged.
func (db *DB) Entry(ctx context.Context, a *opstap.Actor, id, entryID, purpose, reason string) (*Entry, error) {
	var e *Entry
	err := db.auditedRead(ctx, func(tx *Tx) error {
		d, dk, cat, err := tx.openEntryFor(ctx, a, id, entryID, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		if e, _, err = tx.loadEntry(ctx, dk, entryID); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Read, purpose))
	})
	return e, err
}

// UpdateEntry stores a new version of an entry. The superseded version
// moves, still sealed, to the history with who wrote it and who replaced
// it: nothing is overwritten. Deleting is not offered; retention erases
// dossiers as a whole [001 "Termijn bewaren gegevens"]. The kind may
// change only within its segment, so a note never becomes medical.
func (db *DB) UpdateEntry(ctx context.Context, a *opstap.Actor, id, entryID string, in dossier.EntryInput, purpose string) (*Entry, error) {
	if err := in.Validate(opstap.DateOf(db.Now())); err != nil {
		return nil, err
	}
	var e *Entry
	err := db.WithTx(ctx, func(tx *Tx) error {
		d, dk, cat, err := tx.openEntryFor(ctx, a, id, entryID, opstap.Write, purpose, "")
		if err != nil {
			return err
		}
		if in.Kind.Category() != cat {
			return opstap.FieldError("kind", "the kind cannot move an entry to another part of the dossier")
		}
		var old []byte
		if e, old, err = tx.loadEntry(ctx, dk, entryID); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != e.Version {
			return &opstap.Error{Code: opstap.ECONFLICT, Field: "version", Message: "someone else changed this entry meanwhile; reload it"}
		}
		if err := tx.supersede(ctx, e, old, a.UserID); err != nil {
			return err
		}
		e.Kind, e.Title, e.Body, e.OccurredOn = in.Kind, in.Title, in.Body, in.OccurredOn
		e.Version, e.UpdatedBy, e.UpdatedAt = e.Version+1, a.UserID, tx.Now()
		if _, err := tx.exec(ctx, `UPDATE dossier_entries SET kind = ?, occurred_on = ?, version = ?, ciphertext = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			string(e.Kind), e.OccurredOn, e.Version, sealEntry(dk, id, e.ID, e.Version, e.Title, e.Body), e.UpdatedBy, e.UpdatedAt, e.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Write, purpose))
	})
	return e, err
}

// supersede keeps the current version of e in the history.
func (tx *Tx) supersede(ctx context.Context, e *Entry, ct []byte, by string) error {
	_, err := tx.exec(ctx, `INSERT INTO dossier_entry_versions (entry_id, version, kind, occurred_on, ciphertext, saved_by, saved_at, superseded_by, superseded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Version, string(e.Kind), e.OccurredOn, ct, e.UpdatedBy, e.UpdatedAt, by, tx.Now())
	return err
}

// EntryHistory returns every version of an entry, newest (current) first;
// the read is logged.
func (db *DB) EntryHistory(ctx context.Context, a *opstap.Actor, id, entryID, purpose, reason string) ([]EntryVersion, error) {
	var vs []EntryVersion
	err := db.WithTx(ctx, func(tx *Tx) error {
		d, dk, cat, err := tx.openEntryFor(ctx, a, id, entryID, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		if vs, err = tx.versions(ctx, dk, id, entryID); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Read, purpose))
	})
	return vs, err
}

func (tx *Tx) versions(ctx context.Context, dk vault.DataKey, id, entryID string) ([]EntryVersion, error) {
	rows, err := tx.query(ctx, (`
		SELECT x.version, x.kind, x.occurred_on, x.ciphertext, x.saved_by, COALESCE(u.name, ''), x.saved_at, x.current FROM (
			SELECT version, kind, occurred_on, ciphertext, updated_by AS saved_by, updated_at AS saved_at, 1 AS current FROM dossier_entries WHERE id = ?
			UNION ALL
			SELECT version, kind, occurred_on, ciphertext, saved_by, saved_at, 0 FROM dossier_entry_versions WHERE entry_id = ?
		) x LEFT JOIN users u ON u.id = x.saved_by ORDER BY x.version DESC`), entryID, entryID)
	var vs []EntryVersion
	if err := each(rows, err, func(rows scanner) error {
		var v EntryVersion
		var ct []byte
		var current int
		if err := rows.Scan(&v.Version, &v.Kind, &v.OccurredOn, &ct, &v.SavedBy, &v.SavedByName, scanTime(&v.SavedAt), &current); err != nil {
			return err
		}
		t, err := openEntry(dk, id, entryID, v.Version, ct)
		if err != nil {
			return err
		}
		v.Title, v.Body, v.Current = t.Title, t.Body, current == 1
		vs = append(vs, v)
		return nil
	}); err != nil {
		return nil, err
	}
	return vs, nil
}

// DossierPage is what the dossier page shows: who the candidate is, the
// latest entries and the documents the actor may read.
type DossierPage struct {
	Candidate *candidate.Candidate
	EntryList
	Documents []Document
}

// DossierPage reads everything the dossier page shows in one transaction:
// basic data, a page of entries (notes) and the documents, each category
// after the policy allowed it and logged once.
func (db *DB) DossierPage(ctx context.Context, a *opstap.Actor, id string, q EntryQuery, purpose, reason string) (*DossierPage, error) {
	p := &DossierPage{}
	err := db.auditedRead(ctx, func(tx *Tx) error {
		c, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		dBasic, err := db.decide(ctx, a, s, opstap.CatBasic, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		dNotes, err := db.decide(ctx, a, s, opstap.CatNotes, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		cats, err := tx.readableDocCategories(ctx, a, s, purpose, reason)
		if err != nil {
			return err
		}
		dk, err := tx.dataKey(ctx, id)
		if err != nil {
			return err
		}
		c.Basic = &candidate.Basic{}
		if _, err := tx.getCategory(ctx, dk, id, opstap.CatBasic, c.Basic); err != nil {
			return err
		}
		p.Candidate = c
		if p.EntryList, err = tx.listEntries(ctx, dk, id, opstap.CatNotes, q); err != nil {
			return err
		}
		if p.Documents, err = tx.listDocuments(ctx, dk, id, cats); err != nil {
			return err
		}
		delete(cats, opstap.CatNotes) // logged once below, with the entries
		es := append([]audit.Entry{candidateEntry(a, dBasic, id, opstap.CatBasic, opstap.Read, purpose),
			candidateEntry(a, dNotes, id, opstap.CatNotes, opstap.Read, purpose)}, docEntries(a, id, cats, purpose)...)
		return tx.Audit(ctx, es...)
	})
	return p, err
}
