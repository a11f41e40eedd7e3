package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/consent"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/timesheet"
	"github.com/opstap/opstap/internal/trajectory"
	"github.com/opstap/opstap/internal/vault"
)

// The right of access (inzage) [002 art 7.1; 004 "Inzagerecht": "welke
// gegevens … van hem of haar (heeft) verwerkt"; AVG art 15]: everything
// Opstap holds on a candidate, read from every table in one transaction and
// opened with the candidate's key, and the log of who used it.

// ExportFormat names the layout of the JSON file; change the version when
// fields change meaning.
const ExportFormat = "opstap-access-export/1"

// Export is everything Opstap holds on one candidate.
type Export struct {
	Format         string                  `json:"format"`
	GeneratedAt    time.Time               `json:"generated_at"`
	RequestID      string                  `json:"request_id"`
	Provider       string                  `json:"provider"`
	Candidate      ExportCandidate         `json:"candidate"`
	Categories     []ExportCategory        `json:"categories"`
	Limitations    *Limitations            `json:"limitations,omitempty"`
	DossierEntries []ExportEntry           `json:"dossier_entries"`
	Documents      []Document              `json:"documents"`
	Trajectories   []trajectory.Trajectory `json:"trajectories"`
	Consents       []consent.Record        `json:"consents"`
	Reports        []dossier.Report        `json:"reports"`
	Sharings       []dossier.Sharing       `json:"sharings"`
	Complaints     []*complaint.Complaint  `json:"complaints"`
	BreakGlass     []BreakGlass            `json:"break_glass"`
	RightsRequests []RightsRequest         `json:"rights_requests"`
	Disclosures    []*Disclosure           `json:"disclosures"`
	Hours          []timesheet.Line        `json:"hours"`
	AccessLog      []AccessLogEntry        `json:"access_log"`
	// Files are the documents' contents, for the ZIP beside the JSON.
	Files []ExportFile `json:"-"`
}

// ExportCandidate is the candidate record itself.
type ExportCandidate struct {
	ID                string      `json:"id"`
	ExternalRef       string      `json:"external_ref,omitempty"`
	CommissionerOrgID string      `json:"commissioner_org_id"`
	Commissioner      string      `json:"commissioner"`
	CoachName         string      `json:"coach,omitempty"`
	RegisteredOn      opstap.Date `json:"registered_on"`
	CreatedAt         time.Time   `json:"created_at"`
	Restricted        bool        `json:"restricted"`
}

// ExportCategory is one data category as stored (DOMAIN.md §3).
type ExportCategory struct {
	Category  opstap.Category `json:"category"`
	Data      json.RawMessage `json:"data"`
	UpdatedAt time.Time       `json:"updated_at"`
	UpdatedBy string          `json:"updated_by"`
}

// ExportEntry is a dossier entry with its whole history, current first.
type ExportEntry struct {
	Entry
	History []EntryVersion `json:"history"`
}

// ExportFile is one document's content.
type ExportFile struct {
	DocumentID string
	Name       string
	Content    []byte
}

// AccessLogEntry is one line of the log of a candidate's data: who (name,
// role, organisation), when, for which purpose, what. ActorName is left out
// of the candidate's transparency page, which names roles and
// organisations.
type AccessLogEntry struct {
	Seq          int64     `json:"seq"`
	At           time.Time `json:"at"`
	Actor        string    `json:"-"` // tells people apart on the page, never shown
	ActorName    string    `json:"actor_name,omitempty"`
	Role         string    `json:"role"`
	Organisation string    `json:"organisation"`
	Event        string    `json:"event"`
	Category     string    `json:"category,omitempty"`
	Action       string    `json:"action,omitempty"`
	Purpose      string    `json:"purpose,omitempty"`
	Outcome      string    `json:"outcome"`
}

var (
	errNotAccess     = opstap.Errorf(opstap.ECONFLICT, "only an access request comes with an export")
	errExportPending = opstap.Errorf(opstap.ECONFLICT, "the export is available once your request is granted")
	errManifestTake  = opstap.Errorf(opstap.ECONFLICT, "take on the request first to see what its export holds")
)

// exportAllowed: who gets the export is access.DecideAccessExport's rule;
// when is the request's state: once granted in full. A partly granted
// request has no automatic export: the system cannot tell which part was
// refused.
func exportAllowed(a *opstap.Actor, d access.Decision, r *RightsRequest) error {
	ed := access.DecideAccessExport(a, d)
	switch {
	case r.Kind != privacy.RightAccess:
		return errNotAccess
	case a.System:
		return nil
	case !ed.Allowed:
		return denyRights(a, ed, r.CandidateID, false)
	case r.Status == privacy.RightsWithdrawn:
		return privacy.ErrRightsClosed
	case r.Status != privacy.RightsGranted:
		return errExportPending
	}
	return nil
}

// manifestAllowed decides who sees what an export holds: the privacy
// officer who took the request on, while it is open or once granted.
func manifestAllowed(a *opstap.Actor, d access.Decision, r *RightsRequest) error {
	switch {
	case r.Kind != privacy.RightAccess:
		return errNotAccess
	case a.System:
		return nil
	case d.Role != opstap.RolePrivacyOfficer:
		return denyRights(a, access.Decision{Role: d.Role, Relation: d.Relation, Reason: access.ReasonRightsHandle}, r.CandidateID, false)
	case r.Status == privacy.RightsWithdrawn || r.Status == privacy.RightsRefused:
		return privacy.ErrRightsClosed
	case r.HandlerUserID != a.UserID:
		return errManifestTake
	}
	return nil
}

// AccessExport reads everything held on the candidate of an access
// request, for the candidate. Each category leaving the system is logged
// as an export.
func (db *DB) AccessExport(ctx context.Context, a *opstap.Actor, requestID string) (*Export, error) {
	var ex *Export
	err := db.withExport(ctx, a, requestID, exportAllowed, func(tx *Tx, d access.Decision, r *RightsRequest) (err error) {
		if ex, err = tx.export(ctx, r.CandidateID); err != nil {
			return err
		}
		ex.RequestID = requestID
		return tx.Audit(ctx, exportEntries(a, d, r.CandidateID, requestID)...)
	})
	return ex, err
}

// ExportManifest says what the export of an access request holds: the data
// categories and how many items of each part, nothing of their content.
type ExportManifest struct {
	RequestID   string            `json:"request_id"`
	GeneratedAt time.Time         `json:"generated_at"`
	Categories  []opstap.Category `json:"categories"`
	Parts       []ManifestPart    `json:"parts"`
}

// ManifestPart is one part of the export (named as in its JSON) and how
// many items it holds.
type ManifestPart struct {
	Part  string `json:"part"`
	Count int    `json:"count"`
}

// Manifest counts what ex holds.
func (ex *Export) Manifest() *ExportManifest {
	m := &ExportManifest{RequestID: ex.RequestID, GeneratedAt: ex.GeneratedAt, Categories: []opstap.Category{}}
	for _, c := range ex.Categories {
		m.Categories = append(m.Categories, c.Category)
	}
	limitations := 0
	if ex.Limitations != nil {
		limitations = 1
	}
	versions := 0
	for _, e := range ex.DossierEntries {
		versions += len(e.History)
	}
	m.Parts = []ManifestPart{
		{"categories", len(ex.Categories)}, {"limitations", limitations},
		{"dossier_entries", len(ex.DossierEntries)}, {"dossier_entry_versions", versions},
		{"documents", len(ex.Documents)}, {"trajectories", len(ex.Trajectories)},
		{"consents", len(ex.Consents)}, {"reports", len(ex.Reports)}, {"sharings", len(ex.Sharings)},
		{"complaints", len(ex.Complaints)}, {"break_glass", len(ex.BreakGlass)},
		{"rights_requests", len(ex.RightsRequests)}, {"hours", len(ex.Hours)}, {"access_log", len(ex.AccessLog)},
	}
	return m
}

// AccessExportManifest tells the privacy officer handling an access
// request what its export holds, without any of the content. It is logged
// as a read of the request, not as an export: nothing leaves the system.
func (db *DB) AccessExportManifest(ctx context.Context, a *opstap.Actor, requestID string) (*ExportManifest, error) {
	var m *ExportManifest
	err := db.withExport(ctx, a, requestID, manifestAllowed, func(tx *Tx, d access.Decision, r *RightsRequest) error {
		ex, err := tx.export(ctx, r.CandidateID)
		if err != nil {
			return err
		}
		ex.RequestID = requestID
		m = ex.Manifest()
		e := rightsEntry(a, d, r.CandidateID, false)
		e.Detail = "access export manifest for rights request " + requestID
		return tx.Audit(ctx, e)
	})
	return m, err
}

// withExport finds the request, decides with allowed and runs fn.
func (db *DB) withExport(ctx context.Context, a *opstap.Actor, requestID string, allowed func(*opstap.Actor, access.Decision, *RightsRequest) error,
	fn func(tx *Tx, d access.Decision, r *RightsRequest) error) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		ss, err := tx.rightsRows(ctx, `q.id = ?`, requestID)
		if err != nil {
			return err
		}
		if len(ss) == 0 {
			return errNoRightsRequest
		}
		r := &ss[0].r
		_, s, err := tx.candidateSubject(ctx, r.CandidateID)
		if err != nil {
			return err
		}
		d, err := decideRights(a, s, access.RightsRead)
		if err != nil {
			return err
		}
		if err := allowed(a, d, r); err != nil {
			return err
		}
		return fn(tx, d, r)
	})
}

// exportEntries log the export of every category.
func exportEntries(a *opstap.Actor, d access.Decision, id, requestID string) []audit.Entry {
	es := make([]audit.Entry, 0, len(opstap.Categories))
	for _, cat := range opstap.Categories {
		e := candidateEntry(a, d, id, cat, opstap.Read, PurposeRights)
		e.Event, e.Detail = audit.EventExport, "access export for rights request "+requestID
		es = append(es, e)
	}
	return es
}

// export gathers every table's rows of the candidate, opened.
func (tx *Tx) export(ctx context.Context, id string) (*Export, error) {
	dk, err := tx.dataKey(ctx, id)
	if err != nil {
		return nil, err
	}
	ex := &Export{Format: ExportFormat, GeneratedAt: tx.Now()}
	rt := &reportTx{tx: tx, dk: dk, cid: id}
	steps := []func() error{
		func() (err error) { ex.Provider, err = tx.providerName(ctx); return },
		func() (err error) { ex.Candidate, err = tx.exportCandidate(ctx, id); return },
		func() (err error) { ex.Categories, err = tx.exportCategories(ctx, dk, id); return },
		func() (err error) { ex.Limitations, err = tx.exportLimitations(ctx, dk, id); return },
		func() (err error) { ex.DossierEntries, err = tx.exportEntries(ctx, dk, id); return },
		func() (err error) { ex.Documents, ex.Files, err = tx.exportDocuments(ctx, dk, id); return },
		func() (err error) { ex.Trajectories, err = tx.trajList(ctx, id, &sealer{dk, id}); return },
		func() (err error) { ex.Consents, err = tx.consents(ctx, dk, id); return },
		func() (err error) { ex.Reports, err = rt.exportReports(ctx); return },
		func() (err error) { ex.Sharings, err = rt.sharings(ctx, `1 = 1`); return },
		func() (err error) { ex.Complaints, err = tx.exportComplaints(ctx, dk, id); return },
		func() (err error) { ex.BreakGlass, err = tx.exportBreakGlass(ctx, dk, id); return },
		func() (err error) { ex.RightsRequests, err = tx.candidateRights(ctx, id); return },
		func() (err error) { ex.Disclosures, err = tx.knownDisclosures(ctx, id); return },
		func() (err error) { ex.Hours, err = tx.exportHours(ctx, id); return },
		func() (err error) { ex.AccessLog, err = tx.accessLog(ctx, id, "", 0, -1); return },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return ex, nil
}

// exportHours is every timesheet line of the candidate, reasons opened.
func (tx *Tx) exportHours(ctx context.Context, id string) ([]timesheet.Line, error) {
	ls, err := tx.hourLines(ctx, `l.candidate_id = ?`, id)
	if err != nil {
		return nil, err
	}
	if ls == nil {
		ls = []timesheet.Line{}
	}
	return ls, tx.openReasons(ctx, id, ls)
}

// providerName is the name of the provider that runs Opstap, the sender of
// exports and letters.
func (tx *Tx) providerName(ctx context.Context) (string, error) {
	var name string
	err := tx.queryRow(ctx, `SELECT name FROM organisations WHERE kind = ? ORDER BY created_at LIMIT 1`, string(opstap.OrgProvider)).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

func (tx *Tx) exportCandidate(ctx context.Context, id string) (ExportCandidate, error) {
	var c ExportCandidate
	err := tx.queryRow(ctx, `SELECT c.id, c.external_ref, c.commissioner_org_id, o.name, COALESCE(u.name, ''), c.registered_on, c.created_at, c.restricted_at IS NOT NULL
		FROM candidates c JOIN organisations o ON o.id = c.commissioner_org_id LEFT JOIN users u ON u.id = c.coach_user_id WHERE c.id = ?`, id).
		Scan(&c.ID, &c.ExternalRef, &c.CommissionerOrgID, &c.Commissioner, &c.CoachName, &c.RegisteredOn, scanTime(&c.CreatedAt), &c.Restricted)
	return c, err
}

func (tx *Tx) exportCategories(ctx context.Context, dk vault.DataKey, id string) ([]ExportCategory, error) {
	out := []ExportCategory{}
	err := tx.eachRow(ctx, `SELECT category, ciphertext, updated_at, updated_by FROM candidate_data WHERE candidate_id = ? ORDER BY category`, []any{id}, func(rows scanner) error {
		var c ExportCategory
		var ct []byte
		if err := rows.Scan(&c.Category, &ct, scanTime(&c.UpdatedAt), &c.UpdatedBy); err != nil {
			return err
		}
		plain, err := dk.Open(ct, vault.FieldAAD(id, string(c.Category)))
		c.Data = plain
		out = append(out, c)
		return err
	})
	return out, err
}

func (tx *Tx) exportLimitations(ctx context.Context, dk vault.DataKey, id string) (*Limitations, error) {
	l := &Limitations{}
	var ct []byte
	var at time.Time
	err := tx.queryRow(ctx, `SELECT ciphertext, shared_with_consent, updated_by, updated_at FROM candidate_limitations WHERE candidate_id = ?`, id).
		Scan(&ct, &l.SharedWithConsent, &l.UpdatedBy, scanTime(&at))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	l.UpdatedAt = &at
	plain, err := dk.Open(ct, limitationsAAD(id))
	if err != nil {
		return nil, err
	}
	return l, json.Unmarshal(plain, &l.Codes)
}

// exportEntries reads every entry of both segments and every superseded
// version in two queries, so a long dossier costs two round trips.
func (tx *Tx) exportEntries(ctx context.Context, dk vault.DataKey, id string) ([]ExportEntry, error) {
	out := []ExportEntry{}
	at := map[string]int{}
	err := tx.eachRow(ctx, `SELECT `+entryColumns+` FROM dossier_entries e LEFT JOIN users u ON u.id = e.author_id
		WHERE e.candidate_id = ? ORDER BY e.occurred_on DESC, e.created_at DESC, e.id`, []any{id}, func(rows scanner) error {
		var ct []byte
		e, err := scanEntry(rows, &ct)
		if err != nil {
			return err
		}
		if err := e.open(dk, ct); err != nil {
			return err
		}
		at[e.ID] = len(out)
		cur := EntryVersion{Version: e.Version, Kind: e.Kind, Title: e.Title, Body: e.Body, OccurredOn: e.OccurredOn, SavedBy: e.UpdatedBy, SavedAt: e.UpdatedAt, Current: true}
		out = append(out, ExportEntry{Entry: e, History: []EntryVersion{cur}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.eachRow(ctx, `SELECT v.entry_id, v.version, v.kind, v.occurred_on, v.ciphertext, v.saved_by, COALESCE(u.name, ''), v.saved_at
		FROM dossier_entry_versions v JOIN dossier_entries e ON e.id = v.entry_id LEFT JOIN users u ON u.id = v.saved_by
		WHERE e.candidate_id = ? ORDER BY v.entry_id, v.version DESC`, []any{id}, func(rows scanner) error {
		var entryID string
		var v EntryVersion
		var ct []byte
		if err := rows.Scan(&entryID, &v.Version, &v.Kind, &v.OccurredOn, &ct, &v.SavedBy, &v.SavedByName, scanTime(&v.SavedAt)); err != nil {
			return err
		}
		t, err := openEntry(dk, id, entryID, v.Version, ct)
		v.Title, v.Body = t.Title, t.Body
		if i, ok := at[entryID]; ok {
			out[i].History = append(out[i].History, v)
		}
		return err
	})
	return out, err
}

// exportDocuments lists every document with its content.
func (tx *Tx) exportDocuments(ctx context.Context, dk vault.DataKey, id string) ([]Document, []ExportFile, error) {
	docs, err := tx.listDocuments(ctx, dk, id, map[opstap.Category]access.Decision{opstap.CatEducation: {}, opstap.CatNotes: {}})
	if err != nil {
		return nil, nil, err
	}
	files := make([]ExportFile, 0, len(docs))
	for _, d := range docs {
		var ct []byte
		if err := tx.queryRow(ctx, `SELECT content FROM dossier_documents WHERE id = ?`, d.ID).Scan(&ct); err != nil {
			return nil, nil, err
		}
		content, err := dk.Open(ct, documentAAD(id, d.ID, ""))
		if err != nil {
			return nil, nil, err
		}
		files = append(files, ExportFile{DocumentID: d.ID, Name: d.Filename, Content: content})
	}
	return docs, files, nil
}

func (rt *reportTx) exportReports(ctx context.Context) ([]dossier.Report, error) {
	ids, err := rt.reportIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]dossier.Report, 0, len(ids))
	for _, id := range ids {
		r, err := rt.load(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, nil
}

// exportComplaints reads the candidate's complaints with the desk's notes:
// those are personal data about the candidate too.
func (tx *Tx) exportComplaints(ctx context.Context, dk vault.DataKey, id string) ([]*complaint.Complaint, error) {
	var sealed []*sealedComplaint
	err := tx.eachRow(ctx, `SELECT `+complaintColumns+` WHERE k.candidate_id = ? ORDER BY k.received_on, k.id`, []any{id}, func(rows scanner) error {
		s, err := scanComplaint(rows)
		sealed = append(sealed, s)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*complaint.Complaint, 0, len(sealed))
	for _, s := range sealed {
		c, err := s.open(dk)
		if err != nil {
			return nil, err
		}
		if err := tx.complaintNotes(ctx, c); err != nil {
			return nil, err
		}
		c.Refresh(opstap.DateOf(tx.Now()))
		out = append(out, c)
	}
	return out, nil
}

func (tx *Tx) exportBreakGlass(ctx context.Context, dk vault.DataKey, id string) ([]BreakGlass, error) {
	out := []BreakGlass{}
	err := tx.eachRow(ctx, `SELECT b.id, b.user_id, COALESCE(u.name, ''), b.at, b.reason, b.kind FROM break_glass b LEFT JOIN users u ON u.id = b.user_id
		WHERE b.candidate_id = ? ORDER BY b.at, b.id`, []any{id}, func(rows scanner) error {
		b := BreakGlass{CandidateID: id}
		var ct []byte
		if err := rows.Scan(&b.ID, &b.UserID, &b.UserName, scanTime(&b.At), &ct, &b.Kind); err != nil {
			return err
		}
		plain, err := dk.Open(ct, vault.FieldAAD(id, "break_glass/"+b.ID))
		b.Reason = string(plain)
		out = append(out, b)
		return err
	})
	return out, err
}
