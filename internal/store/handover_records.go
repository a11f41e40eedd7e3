package store

import (
	"context"
	"slices"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/trajectory"
	"github.com/opstap/opstap/internal/vault"
)

// The trajectories, reports and documents of a hand-over: the successor
// continues a trajectory, so it needs where each one stands, what was
// agreed and written, and the papers the candidate handed in
// [003 art 7.5 lid 2]. Staff ids of the exporting installation mean
// nothing to the successor and are left out; imported rows name
// "handover" as their author, like imported dossier entries.

// handoverAuthor is the author recorded on imported rows.
const handoverAuthor = "handover"

// HandoverReport is a report with its versions, oldest first. A report
// that ever held health data stays behind: health data reaches a
// commissioner only with the candidate's written consent [002 art 5.1].
type HandoverReport struct {
	Kind      dossier.ReportKind      `json:"kind"`
	CreatedAt time.Time               `json:"created_at"`
	Versions  []HandoverReportVersion `json:"versions"`
}

// HandoverReportVersion is one version of a report.
type HandoverReportVersion struct {
	Version     int                   `json:"version"`
	Status      string                `json:"status"`
	Content     dossier.ReportContent `json:"content"`
	WrittenAt   time.Time             `json:"written_at"`
	SubmittedAt *time.Time            `json:"submitted_at,omitempty"`
	DecidedAt   *time.Time            `json:"decided_at,omitempty"`
	Comment     string                `json:"comment,omitempty"`
}

// HandoverDocument is a document with its content (base64 in JSON).
type HandoverDocument struct {
	Kind        dossier.DocumentKind `json:"kind"`
	Filename    string               `json:"filename"`
	ContentType string               `json:"content_type"`
	UploadedAt  time.Time            `json:"uploaded_at"`
	Content     []byte               `json:"content"`
}

// handoverRecords fills a candidate's trajectories, reports and documents.
func (tx *Tx) handoverRecords(ctx context.Context, dk vault.DataKey, id string, hc *HandoverCandidate) error {
	ts, err := tx.trajList(ctx, id, &sealer{dk, id})
	if err != nil {
		return err
	}
	slices.Reverse(ts) // oldest first, so the import keeps at most one open
	hc.Trajectories = make([]trajectory.Trajectory, 0, len(ts))
	for _, t := range ts {
		hc.Trajectories = append(hc.Trajectories, withoutStaffIDs(t))
	}
	if hc.Reports, err = tx.handoverReports(ctx, dk, id); err != nil {
		return err
	}
	docs, files, err := tx.exportDocuments(ctx, dk, id)
	if err != nil {
		return err
	}
	hc.Documents = make([]HandoverDocument, 0, len(docs))
	for i := len(docs) - 1; i >= 0; i-- { // oldest first
		d := docs[i]
		hc.Documents = append(hc.Documents, HandoverDocument{Kind: d.Kind, Filename: d.Filename, ContentType: d.ContentType, UploadedAt: d.UploadedAt, Content: files[i].Content})
	}
	return nil
}

// withoutStaffIDs drops the exporting installation's user ids.
func withoutStaffIDs(t trajectory.Trajectory) trajectory.Trajectory {
	t.CoachUserID = ""
	for i := range t.History {
		t.History[i].ActorUserID = ""
	}
	for i := range t.Cases {
		t.Cases[i].Steps = slices.Clone(t.Cases[i].Steps)
		for j := range t.Cases[i].Steps {
			t.Cases[i].Steps[j].ByUserID = ""
		}
	}
	return t
}

func (tx *Tx) handoverReports(ctx context.Context, dk vault.DataKey, id string) ([]HandoverReport, error) {
	rs, err := (&reportTx{tx: tx, dk: dk, cid: id}).exportReports(ctx)
	if err != nil {
		return nil, err
	}
	out := []HandoverReport{}
	for i := len(rs) - 1; i >= 0; i-- { // oldest first
		r := rs[i]
		if slices.ContainsFunc(r.Versions, func(v dossier.ReportVersion) bool { return v.HealthData }) {
			continue
		}
		hr := HandoverReport{Kind: r.Kind, CreatedAt: r.CreatedAt}
		for j := len(r.Versions) - 1; j >= 0; j-- {
			v := r.Versions[j]
			hr.Versions = append(hr.Versions, HandoverReportVersion{Version: v.Version, Status: v.Status, Content: v.Content,
				WrittenAt: v.WrittenAt, SubmittedAt: v.SubmittedAt, DecidedAt: v.DecidedAt, Comment: v.Comment})
		}
		out = append(out, hr)
	}
	return out, nil
}

// importRecords writes the trajectories, reports and documents of a newly
// imported candidate under its new key.
func (tx *Tx) importRecords(ctx context.Context, dk vault.DataKey, id string, hc *HandoverCandidate, res *ImportResult) error {
	sl := sealer{dk, id}
	for i := range hc.Trajectories {
		if err := tx.importTrajectory(ctx, sl, &hc.Trajectories[i]); err != nil {
			return err
		}
	}
	rt := &reportTx{tx: tx, dk: dk, cid: id}
	for i := range hc.Reports {
		if err := rt.importReport(ctx, &hc.Reports[i]); err != nil {
			return err
		}
	}
	for i := range hc.Documents {
		if err := tx.importDocument(ctx, dk, id, &hc.Documents[i]); err != nil {
			return err
		}
	}
	res.Trajectories += len(hc.Trajectories)
	res.Reports += len(hc.Reports)
	res.Documents += len(hc.Documents)
	return nil
}

var errHandoverTrajectory = opstap.FieldError("trajectories", "a trajectory in the file has an unknown kind or status")

func (tx *Tx) importTrajectory(ctx context.Context, sl sealer, t *trajectory.Trajectory) error {
	if !slices.Contains(trajectory.Kinds, t.Kind) || !slices.Contains(trajectory.Statuses, t.Status) {
		return errHandoverTrajectory
	}
	id := newID()
	var end trajectory.End
	if t.End != nil {
		end = *t.End
	}
	if _, err := tx.exec(ctx, `INSERT INTO trajectories (id, candidate_id, kind, status, coach_user_id, created_at, created_by, status_changed_at,
		suspension_ground, end_reason, contract_kind, hours_per_week, ended_on, end_note) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, sl.candidateID, string(t.Kind), string(t.Status), t.CreatedAt.UTC(), handoverAuthor, t.StatusChangedAt.UTC(), string(t.SuspensionGround),
		string(end.Reason), string(end.ContractKind), end.HoursPerWeek, end.On, sl.seal("trajectory_end/"+id, t.EndNote)); err != nil {
		return conflictField(err, "trajectories", "a candidate in the file has more than one open trajectory")
	}
	for _, e := range t.History {
		eid := newID()
		if _, err := tx.exec(ctx, `INSERT INTO trajectory_events (id, trajectory_id, at, actor_user_id, event, from_status, to_status, detail, note) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)`,
			eid, id, e.At.UTC(), e.Event, string(e.From), string(e.To), e.Detail, sl.seal("trajectory_event/"+eid, e.Note)); err != nil {
			return err
		}
	}
	for _, ap := range t.Appointments {
		if err := tx.importAppointment(ctx, sl, id, ap); err != nil {
			return err
		}
	}
	for _, c := range t.Cases {
		if err := tx.importCase(ctx, sl, id, c); err != nil {
			return err
		}
	}
	for _, k := range t.Talks {
		kid := newID()
		if _, err := tx.exec(ctx, `INSERT INTO trajectory_suspension_talks (id, trajectory_id, party, discussed_on, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			kid, id, string(k.Party), k.DiscussedOn, sl.seal("suspension_talk/"+kid, k.Note), tx.Now(), handoverAuthor); err != nil {
			return err
		}
	}
	return nil
}

// sealRequired seals a text whose column may not be NULL, empty included.
func (s sealer) sealRequired(field, plain string) []byte {
	return s.dk.Seal([]byte(plain), vault.FieldAAD(s.candidateID, field))
}

func (tx *Tx) importAppointment(ctx context.Context, sl sealer, trajID string, ap trajectory.Appointment) error {
	apID := newID()
	if _, err := tx.exec(ctx, `INSERT INTO trajectory_appointments (id, trajectory_id, starts_at, kind, location, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		apID, trajID, ap.StartsAt.UTC(), string(ap.Kind), sl.sealRequired("appointment/"+apID, ap.Location), tx.Now(), handoverAuthor); err != nil {
		return err
	}
	if ab := ap.Absence; ab != nil {
		if _, err := tx.exec(ctx, `INSERT INTO trajectory_absences (appointment_id, reason, reported_at, reported_by, by_candidate, late) VALUES (?, ?, ?, ?, ?, ?)`,
			apID, sl.sealRequired("absence/"+apID, ab.Reason), ab.ReportedAt.UTC(), handoverAuthor, ab.ByCandidate, ab.Late); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) importCase(ctx context.Context, sl sealer, trajID string, c trajectory.Noncompliance) error {
	cid := newID()
	if _, err := tx.exec(ctx, `INSERT INTO trajectory_noncompliance (id, trajectory_id, kind, note, recorded_at, recorded_by, measure_taken) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		cid, trajID, string(c.Kind), sl.seal("noncompliance/"+cid, c.Note), c.RecordedAt.UTC(), handoverAuthor, string(c.MeasureTaken)); err != nil {
		return err
	}
	for _, s := range c.Steps {
		if _, err := tx.exec(ctx, `INSERT INTO trajectory_noncompliance_steps (noncompliance_id, step, at, by_user_id, deadline, measure, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			cid, string(s.Step), s.At.UTC(), handoverAuthor, s.Deadline, string(s.Measure), sl.seal("noncompliance/"+cid+"/"+string(s.Step), s.Note)); err != nil {
			return err
		}
	}
	return nil
}

var errHandoverReport = opstap.FieldError("reports", "a report in the file has an unknown kind or status, or no versions")

func (rt *reportTx) importReport(ctx context.Context, r *HandoverReport) error {
	if !slices.Contains(dossier.ReportKinds, r.Kind) || len(r.Versions) == 0 {
		return errHandoverReport
	}
	id := newID()
	cur := r.Versions[len(r.Versions)-1].Version
	if _, err := rt.tx.exec(ctx, `INSERT INTO reports (id, candidate_id, kind, current_version, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, rt.cid, string(r.Kind), cur, handoverAuthor, r.CreatedAt.UTC()); err != nil {
		return err
	}
	for _, v := range r.Versions {
		if !slices.Contains([]string{dossier.StatusDraft, dossier.StatusSubmitted, dossier.StatusApproved, dossier.StatusCommented}, v.Status) {
			return errHandoverReport
		}
		content, err := rt.seal(id, v.Version, "content", v.Content)
		if err != nil {
			return err
		}
		var comment []byte
		if v.Comment != "" {
			if comment, err = rt.seal(id, v.Version, "comment", v.Comment); err != nil {
				return err
			}
		}
		if _, err := rt.tx.exec(ctx, `INSERT INTO report_versions (report_id, version, status, content_ct, health_data, written_by, written_at, submitted_at, decided_at, comment_ct)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, v.Version, v.Status, content, false, handoverAuthor, v.WrittenAt.UTC(),
			utcOrNil(v.SubmittedAt), utcOrNil(v.DecidedAt), comment); err != nil {
			return conflictField(err, "reports", "a report in the file repeats a version")
		}
	}
	return nil
}

func utcOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// importDocument checks a document as an upload is checked (kind, size,
// type by content) and stores it sealed under the new key.
func (tx *Tx) importDocument(ctx context.Context, dk vault.DataKey, candidateID string, d *HandoverDocument) error {
	if d.Kind.Category() == "" {
		return opstap.FieldError("documents", "a document in the file has an unknown kind")
	}
	if err := dossier.CheckDocumentSize(int64(len(d.Content))); err != nil {
		return err
	}
	typ, err := dossier.DocumentType(d.Content)
	if err != nil {
		return err
	}
	id, name := newID(), cleanFilename(d.Filename)
	_, err = tx.exec(ctx, `INSERT INTO dossier_documents (id, candidate_id, kind, filename, content_type, size, content, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, candidateID, string(d.Kind), dk.Seal([]byte(name), documentAAD(candidateID, id, "/name")),
		typ, len(d.Content), dk.Seal(d.Content, documentAAD(candidateID, id, "")), handoverAuthor, d.UploadedAt.UTC())
	return err
}
