package store

import (
	"context"
	"database/sql"
	"errors"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/vault"
)

// cleanFilename keeps the last element of a name a browser sent, within
// 200 characters, without control characters.
func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" || name == "" {
		name = "document"
	}
	for utf8.RuneCountInString(name) > 200 {
		_, n := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-n]
	}
	return name
}

// extensions are the file name endings of each accepted type, the usual
// first.
var extensions = map[string][]string{
	dossier.TypePDF:  {".pdf"},
	dossier.TypePNG:  {".png"},
	dossier.TypeJPEG: {".jpg", ".jpeg"},
	dossier.TypeDOCX: {".docx"},
	dossier.TypeODT:  {".odt"},
}

// nameForType makes a file name end as its content type does, so that a
// PNG sent as cv.pdf is stored as cv.png and opens as what it is.
func nameForType(name, typ string) string {
	exts := extensions[typ]
	if len(exts) == 0 {
		return name
	}
	ext := path.Ext(name)
	for _, e := range exts {
		if strings.EqualFold(ext, e) {
			return name
		}
	}
	if ext != "" && len(ext) <= 5 {
		name = strings.TrimSuffix(name, ext)
	}
	for utf8.RuneCountInString(name)+len(exts[0]) > 200 {
		_, n := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-n]
	}
	return name + exts[0]
}

// Document describes a stored document; the content is read separately.
type Document struct {
	ID           string               `json:"id"`
	CandidateID  string               `json:"candidate_id"`
	Kind         dossier.DocumentKind `json:"kind"`
	Filename     string               `json:"filename"`
	ContentType  string               `json:"content_type"`
	Size         int64                `json:"size"`
	UploadedBy   string               `json:"uploaded_by,omitempty"`
	UploaderName string               `json:"uploader_name,omitempty"` // not for employers: staff names are no part of a placement
	UploadedAt   time.Time            `json:"uploaded_at"`
}

// documentAAD binds a document's content (and, with a suffix, its name) to
// the candidate and the document.
func documentAAD(candidateID, docID, part string) string {
	return vault.FieldAAD(candidateID, "document/"+docID+part)
}

// UploadDocument stores a document sealed under the candidate's key, after
// checking its size and its type by content. The kind decides the category
// the policy checks; the write is logged.
func (db *DB) UploadDocument(ctx context.Context, a *opstap.Actor, id string, kind dossier.DocumentKind, filename string, content []byte) (*Document, error) {
	cat := kind.Category()
	if cat == "" {
		return nil, opstap.FieldError("kind", "unknown kind of document")
	}
	if err := dossier.CheckDocumentSize(int64(len(content))); err != nil {
		return nil, err
	}
	typ, err := dossier.DocumentType(content)
	if err != nil {
		return nil, err
	}
	doc := &Document{ID: newID(), CandidateID: id, Kind: kind, Filename: nameForType(cleanFilename(filename), typ), ContentType: typ, Size: int64(len(content)),
		UploadedBy: a.UserID, UploaderName: a.Name}
	err = db.WithTx(ctx, func(tx *Tx) error {
		d, dk, err := tx.openCandidate(ctx, a, id, cat, opstap.Write, PurposeGuidance, "")
		if err != nil {
			return err
		}
		doc.UploadedAt = tx.Now()
		if _, err := tx.exec(ctx, `INSERT INTO dossier_documents (id, candidate_id, kind, filename, content_type, size, content, uploaded_by, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, doc.ID, id, string(kind), dk.Seal([]byte(doc.Filename), documentAAD(id, doc.ID, "/name")),
			typ, doc.Size, dk.Seal(content, documentAAD(id, doc.ID, "")), doc.UploadedBy, doc.UploadedAt); err != nil {
			return err
		}
		return tx.Audit(ctx, candidateEntry(a, d, id, cat, opstap.Write, PurposeGuidance))
	})
	return doc, err
}

// readableDocCategories asks the policy, for each category documents fall
// in, whether the actor may read it, and returns the decisions that allow.
// A category the actor may not read is left out of a list silently; only
// the caller's main category must allow (and its refusal is logged).
func (tx *Tx) readableDocCategories(ctx context.Context, a *opstap.Actor, s access.Subject, purpose, reason string) (map[opstap.Category]access.Decision, error) {
	out := map[opstap.Category]access.Decision{}
	for _, cat := range []opstap.Category{opstap.CatEducation, opstap.CatNotes} {
		if !access.Decide(a, s, cat, opstap.Read, reason).Allowed {
			continue
		}
		d, err := tx.db.decide(ctx, a, s, cat, opstap.Read, purpose, reason)
		if err != nil {
			return nil, err
		}
		out[cat] = d
	}
	return out, nil
}

// listDocuments lists the documents of the given categories, newest first.
func (tx *Tx) listDocuments(ctx context.Context, dk vault.DataKey, id string, cats map[opstap.Category]access.Decision) ([]Document, error) {
	rows, err := tx.query(ctx, (`SELECT d.id, d.kind, d.filename, d.content_type, d.size, d.uploaded_by, COALESCE(u.name, ''), d.uploaded_at
		FROM dossier_documents d LEFT JOIN users u ON u.id = d.uploaded_by WHERE d.candidate_id = ? ORDER BY d.uploaded_at DESC, d.id`), id)
	docs := []Document{}
	if err := each(rows, err, func(rows scanner) error {
		doc := Document{CandidateID: id}
		var name []byte
		if err := rows.Scan(&doc.ID, &doc.Kind, &name, &doc.ContentType, &doc.Size, &doc.UploadedBy, &doc.UploaderName, scanTime(&doc.UploadedAt)); err != nil {
			return err
		}
		if _, ok := cats[doc.Kind.Category()]; !ok {
			return nil
		}
		plain, err := dk.Open(name, documentAAD(id, doc.ID, "/name"))
		if err != nil {
			return err
		}
		doc.Filename = string(plain)
		docs = append(docs, doc)
		return nil
	}); err != nil {
		return nil, err
	}
	return docs, nil
}

// docEntries are the audit entries for reading documents of cats.
func docEntries(a *opstap.Actor, id string, cats map[opstap.Category]access.Decision, purpose string) []audit.Entry {
	var es []audit.Entry
	for _, cat := range []opstap.Category{opstap.CatEducation, opstap.CatNotes} {
		if d, ok := cats[cat]; ok {
			es = append(es, candidateEntry(a, d, id, cat, opstap.Read, purpose))
		}
	}
	return es
}

// Documents lists a candidate's documents of the categories the actor may
// read (CVs and diplomas: education; the rest: notes). An actor who may
// read neither is refused, and the refusal logged; each category read is
// logged.
func (db *DB) Documents(ctx context.Context, a *opstap.Actor, id, purpose, reason string) ([]Document, error) {
	var docs []Document
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, id)
		if err != nil {
			return err
		}
		cats, err := tx.readableDocCategories(ctx, a, s, purpose, reason)
		if err != nil {
			return err
		}
		if len(cats) == 0 {
			_, err := db.decide(ctx, a, s, opstap.CatNotes, opstap.Read, purpose, reason)
			return err
		}
		dk, err := tx.dataKey(ctx, id)
		if err != nil {
			return err
		}
		if docs, err = tx.listDocuments(ctx, dk, id, cats); err != nil {
			return err
		}
		return tx.Audit(ctx, docEntries(a, id, cats, purpose)...)
	})
	return docs, err
}

var errNoDocument = opstap.Errorf(opstap.ENOTFOUND, "no such document")

// DownloadDocument returns a document and its decrypted content, as the
// policy allows for its kind's category; the download is logged as data
// leaving the system.
func (db *DB) DownloadDocument(ctx context.Context, a *opstap.Actor, id, docID, purpose, reason string) (*Document, []byte, error) {
	doc := &Document{ID: docID, CandidateID: id}
	var content []byte
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, _, err := tx.candidateSubject(ctx, id); err != nil {
			return err
		}
		var name, ct []byte
		err := tx.queryRow(ctx, `SELECT kind, filename, content_type, size, content, uploaded_by, uploaded_at FROM dossier_documents WHERE id = ? AND candidate_id = ?`, docID, id).
			Scan(&doc.Kind, &name, &doc.ContentType, &doc.Size, &ct, &doc.UploadedBy, scanTime(&doc.UploadedAt))
		if errors.Is(err, sql.ErrNoRows) {
			return errNoDocument
		} else if err != nil {
			return err
		}
		cat := doc.Kind.Category()
		d, dk, err := tx.openCandidate(ctx, a, id, cat, opstap.Read, purpose, reason)
		if err != nil {
			return err
		}
		plainName, err := dk.Open(name, documentAAD(id, docID, "/name"))
		if err != nil {
			return err
		}
		doc.Filename = string(plainName)
		if content, err = dk.Open(ct, documentAAD(id, docID, "")); err != nil {
			return err
		}
		e := candidateEntry(a, d, id, cat, opstap.Read, purpose)
		if e.Event == audit.EventRead { // a break of the glass stays recorded as such
			e.Event = audit.EventExport
		}
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return nil, nil, err
	}
	return doc, content, nil
}
