package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/vault"
)

// PurposeComplaint is the processing purpose of handling a complaint
// [000 art 12].
const PurposeComplaint = "complaint"

// complaintLink is where the candidate follows their complaints.
const complaintLink = "/portal/complaints"

var errNoComplaint = opstap.Errorf(opstap.ENOTFOUND, "no such complaint")

// decideComplaint applies access.DecideComplaint; a refusal carries its audit
// entry, which WithTx logs after the rollback.
func decideComplaint(a *opstap.Actor, s access.Subject, act opstap.Action, filing bool) (access.Decision, error) {
	d := access.DecideComplaint(a, s, act, filing)
	if d.Allowed {
		return d, nil
	}
	e := complaintEntry(a, d, s.CandidateID, act)
	e.Outcome = audit.OutcomeDenied
	return d, &deniedError{err: d.Err(), entry: e}
}

// complaintEntry is the audit entry for one access to a complaint: the
// complaint is part of the candidate's notes and correspondence.
func complaintEntry(a *opstap.Actor, d access.Decision, candidateID string, act opstap.Action) audit.Entry {
	return candidateEntry(a, d, candidateID, opstap.CatNotes, act, PurposeComplaint)
}

// complaintAAD binds each sealed text to its complaint and field, so a
// ciphertext cannot be moved to another row or column.
func complaintAAD(candidateID, id, field string) string {
	return vault.FieldAAD(candidateID, "complaint/"+id+"/"+field)
}

// FileComplaint registers a complaint for a candidate: by the candidate in
// the portal, or by the complaints desk for a complaint that came in by
// telephone, letter or e-mail [000 art 12]. The deadlines follow from the
// date of receipt. A complaint filed by the desk is announced to the
// candidate.
func (db *DB) FileComplaint(ctx context.Context, a *opstap.Actor, candidateID string, n complaint.New) (*complaint.Complaint, error) {
	today := opstap.DateOf(db.Now())
	if err := n.Validate(today); err != nil {
		return nil, err
	}
	var c *complaint.Complaint
	err := db.WithTx(ctx, func(tx *Tx) error {
		_, s, err := tx.candidateSubject(ctx, candidateID)
		if err != nil {
			return err
		}
		d, err := decideComplaint(a, s, opstap.Write, true)
		if err != nil {
			return err
		}
		if d.Relation == access.RelationSelf {
			n.Channel, n.ReceivedOn = complaint.ChannelPortal, today
		}
		dk, err := tx.dataKey(ctx, candidateID)
		if err != nil {
			return err
		}
		c = &complaint.Complaint{ID: newID(), CandidateID: candidateID, Channel: n.Channel, Subject: n.Subject, Description: n.Description,
			ReceivedOn: n.ReceivedOn, AckDueOn: complaint.AckDue(n.ReceivedOn), OutcomeDueOn: complaint.OutcomeDue(n.ReceivedOn),
			FiledBy: actorID(a), CreatedAt: tx.Now(), UpdatedAt: tx.Now()}
		if _, err := tx.exec(ctx, `INSERT INTO complaints (id, candidate_id, channel, subject, description, received_on, ack_due_on, outcome_due_on, filed_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, candidateID, string(c.Channel), dk.Seal([]byte(c.Subject), complaintAAD(candidateID, c.ID, "subject")),
			dk.Seal([]byte(c.Description), complaintAAD(candidateID, c.ID, "description")),
			c.ReceivedOn, c.AckDueOn, c.OutcomeDueOn, c.FiledBy, c.CreatedAt, c.UpdatedAt); err != nil {
			return err
		}
		if d.Relation != access.RelationSelf {
			if err := tx.notifyCandidate(ctx, s, HappenedComplaintReceived); err != nil {
				return err
			}
		}
		c.Refresh(today)
		return tx.Audit(ctx, complaintEntry(a, d, candidateID, opstap.Write))
	})
	return c, err
}

func actorID(a *opstap.Actor) string {
	if a.UserID == "" {
		return "system"
	}
	return a.UserID
}

// notifyCandidate tells the candidate, if they have a portal account, that
// their complaint changed; the notice itself is neutral.
func (tx *Tx) notifyCandidate(ctx context.Context, s access.Subject, event string) error {
	if s.CandidateUserID == "" {
		return nil
	}
	return tx.NotifyEvent(ctx, s.CandidateUserID, NoticeComplaintUpdate, event, complaintLink)
}

const complaintColumns = `k.id, k.candidate_id, k.channel, k.subject, k.description, k.received_on, k.ack_due_on, k.acknowledged_on,
	COALESCE(k.handler_user_id, ''), COALESCE(u.name, ''), k.outcome_due_on, k.outcome, k.outcome_text, k.outcome_on,
	k.escalated_on, k.escalated_to, k.escalation_note, k.filed_by, k.created_at, k.updated_at, COALESCE(kc.client_number, 0)
	FROM complaints k LEFT JOIN users u ON u.id = k.handler_user_id JOIN candidates kc ON kc.id = k.candidate_id`

// sealedComplaint is a complaint row with its texts still sealed.
type sealedComplaint struct {
	c                                    complaint.Complaint
	subject, description, outcome, escal []byte
}

func scanComplaint(row scanner) (*sealedComplaint, error) {
	var s sealedComplaint
	c := &s.c
	err := row.Scan(&c.ID, &c.CandidateID, &c.Channel, &s.subject, &s.description, &c.ReceivedOn, &c.AckDueOn, &c.AcknowledgedOn,
		&c.HandlerUserID, &c.HandlerName, &c.OutcomeDueOn, &c.Outcome, &s.outcome, &c.OutcomeOn,
		&c.EscalatedOn, &c.EscalatedTo, &s.escal, &c.FiledBy, scanTime(&c.CreatedAt), scanTime(&c.UpdatedAt), &c.ClientNumber)
	return &s, err
}

// open unseals the texts with the candidate's key.
func (s *sealedComplaint) open(dk vault.DataKey) (*complaint.Complaint, error) {
	c := s.c
	for _, f := range []struct {
		name string
		ct   []byte
		dst  *string
	}{{"subject", s.subject, &c.Subject}, {"description", s.description, &c.Description}, {"outcome", s.outcome, &c.OutcomeText}, {"escalation", s.escal, &c.EscalationNote}} {
		if len(f.ct) == 0 {
			continue
		}
		plain, err := dk.Open(f.ct, complaintAAD(c.CandidateID, c.ID, f.name))
		if err != nil {
			return nil, err
		}
		*f.dst = string(plain)
	}
	return &c, nil
}

// loadComplaint reads one complaint row, still sealed.
func (tx *Tx) loadComplaint(ctx context.Context, id string) (*sealedComplaint, error) {
	s, err := scanComplaint(tx.queryRow(ctx, `SELECT `+complaintColumns+` WHERE k.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoComplaint
	}
	return s, err
}

// FindComplaint returns one complaint, as complaintDecision allows; the
// read is logged. The desk and the privacy officer see the internal notes;
// the candidate sees neither the notes nor who handles it.
func (db *DB) FindComplaint(ctx context.Context, a *opstap.Actor, id string) (*complaint.Complaint, error) {
	var c *complaint.Complaint
	err := db.WithTx(ctx, func(tx *Tx) error {
		var d access.Decision
		var err error
		c, d, err = tx.readComplaint(ctx, a, id, opstap.Read)
		if err != nil {
			return err
		}
		if d.Relation == access.RelationSelf {
			c.ForCandidate()
		} else if err := tx.complaintNotes(ctx, c); err != nil {
			return err
		}
		return tx.Audit(ctx, complaintEntry(a, d, c.CandidateID, opstap.Read))
	})
	return c, err
}

// readComplaint loads, checks and opens one complaint; the caller audits.
// A complaint the actor may not see is reported as absent to candidates,
// so one candidate cannot probe for another's complaints.
func (tx *Tx) readComplaint(ctx context.Context, a *opstap.Actor, id string, act opstap.Action) (*complaint.Complaint, access.Decision, error) {
	s, err := tx.loadComplaint(ctx, id)
	if err != nil {
		return nil, access.Decision{}, err
	}
	_, subj, err := tx.candidateSubject(ctx, s.c.CandidateID)
	if err != nil {
		return nil, access.Decision{}, err
	}
	d, err := decideComplaint(a, subj, act, false)
	if err != nil {
		if a != nil && a.Has(opstap.RoleCandidate, opstap.Read) && len(a.Roles()) == 1 {
			return nil, d, errNoComplaint
		}
		return nil, d, err
	}
	dk, err := tx.dataKey(ctx, s.c.CandidateID)
	if err != nil {
		return nil, d, err
	}
	c, err := s.open(dk)
	if err != nil {
		return nil, d, err
	}
	c.Refresh(opstap.DateOf(tx.Now()))
	return c, d, nil
}

// complaintNotes adds the internal notes, newest last.
func (tx *Tx) complaintNotes(ctx context.Context, c *complaint.Complaint) error {
	dk, err := tx.dataKey(ctx, c.CandidateID)
	if err != nil {
		return err
	}
	rows, err := tx.query(ctx, (`SELECT n.id, n.author_id, COALESCE(u.name, ''), n.body, n.created_at
		FROM complaint_notes n LEFT JOIN users u ON u.id = n.author_id WHERE n.complaint_id = ? ORDER BY n.created_at, n.id`), c.ID)
	if err := each(rows, err, func(rows scanner) error {
		var n complaint.Note
		var ct []byte
		if err := rows.Scan(&n.ID, &n.AuthorID, &n.Author, &ct, scanTime(&n.CreatedAt)); err != nil {
			return err
		}
		plain, err := dk.Open(ct, complaintAAD(c.CandidateID, c.ID, "note/"+n.ID))
		if err != nil {
			return err
		}
		n.Text = string(plain)
		c.Notes = append(c.Notes, n)
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// ComplaintFilter selects complaints for a list and asks for one page of
// it.
type ComplaintFilter struct {
	// CandidateID limits the list to one candidate; empty is the desk's
	// queue of every candidate.
	CandidateID string
	// Status is ListOpen (the default: awaiting an outcome), ListOverdue,
	// ListClosed or ListAll.
	Status string
	// Query finds the complaints of one candidate by client number (the
	// desk may not read names).
	Query string
	// Sort is SortQueue (the default: overdue first, then by the next
	// deadline [000 art 12]), SortNewest or SortOldest (by receipt).
	Paging
}

// complaintQueue is the desk's queue: open until decided, the next
// deadline the acknowledgement until it is given, then the outcome
// (complaint.Complaint's Open, Refresh and NextDeadline).
var complaintQueue = queue{open: "k.outcome = ''",
	deadline: "CASE WHEN k.outcome <> '' THEN NULL WHEN k.acknowledged_on IS NULL AND k.ack_due_on < k.outcome_due_on THEN k.ack_due_on ELSE k.outcome_due_on END",
	received: "k.received_on", id: "k.id", candidate: "k.candidate_id", from: "FROM complaints k"}

// FindComplaints lists one page of complaints: one candidate's (for the
// candidate themself, the desk and the privacy officer), or the desk's
// queue with overdue complaints first — a late acknowledgement or a late
// outcome — then by the next deadline [000 art 12]. Every complaint shown
// is a read of the candidate's data and is logged (in one batch).
func (db *DB) FindComplaints(ctx context.Context, a *opstap.Actor, f ComplaintFilter) ([]*complaint.Complaint, Page, error) {
	if f.CandidateID == "" && !access.DecideComplaint(a, access.Subject{}, opstap.Read, false).Allowed {
		return nil, Page{}, forbidden()
	}
	today := opstap.DateOf(db.Now())
	where, args, err := complaintQueue.where(f.Status, f.Query, today)
	if err != nil {
		return nil, Page{}, err
	}
	var out []*complaint.Complaint
	var pg Page
	err = db.WithTx(ctx, func(tx *Tx) error {
		if f.CandidateID != "" {
			_, s, err := tx.candidateSubject(ctx, f.CandidateID)
			if err != nil {
				return err
			}
			if _, err := decideComplaint(a, s, opstap.Read, false); err != nil {
				return err
			}
			where += " AND k.candidate_id = ?"
			args = append(args, f.CandidateID)
		}
		var entries []audit.Entry
		out, pg, err = loadPage(ctx, tx, complaintQueue.list(today), where, args, f.Paging, func(in string, inArgs []any) (cs []*complaint.Complaint, err error) {
			cs, entries, err = tx.listComplaints(ctx, a, in, inArgs)
			return cs, err
		}, func(c *complaint.Complaint) string { return c.ID })
		if err != nil || len(entries) == 0 {
			return err
		}
		return tx.Audit(ctx, entries...)
	})
	if err != nil {
		return nil, Page{}, err
	}
	return out, pg, nil
}

// listComplaints reads and opens the selected complaints, with the
// candidate's name for staff, and returns the audit entries for them.
func (tx *Tx) listComplaints(ctx context.Context, a *opstap.Actor, where string, args []any) ([]*complaint.Complaint, []audit.Entry, error) {
	rows, err := tx.query(ctx, (`SELECT ` + complaintColumns + ` WHERE ` + where + ` ORDER BY k.received_on, k.id`), args...)
	var sealed []*sealedComplaint
	if err := each(rows, err, func(rows scanner) error {
		s, err := scanComplaint(rows)
		if err != nil {
			return err
		}
		sealed = append(sealed, s)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(sealed))
	for i, s := range sealed {
		ids[i] = s.c.CandidateID
	}
	facts, err := tx.readPageFacts(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	today := opstap.DateOf(tx.Now())
	names := map[string]string{}
	var out []*complaint.Complaint
	var entries []audit.Entry
	for _, s := range sealed {
		_, subj, err := facts.subject(s.c.CandidateID)
		if err != nil {
			return nil, nil, err
		}
		d := access.DecideComplaint(a, subj, opstap.Read, false)
		if !d.Allowed {
			continue
		}
		dk, err := facts.dataKey(s.c.CandidateID)
		if err != nil {
			continue // erased meanwhile
		}
		c, err := s.open(dk)
		if err != nil {
			return nil, nil, err
		}
		c.Refresh(today)
		if d.Relation == access.RelationSelf {
			c.ForCandidate()
		} else {
			if entries, err = complaintCandidateName(a, facts, dk, c, names, entries); err != nil {
				return nil, nil, err
			}
		}
		out = append(out, c)
		entries = append(entries, complaintEntry(a, d, c.CandidateID, opstap.Read))
	}
	return out, entries, nil
}

// complaintCandidateName adds the candidate's name where the general policy
// lets the actor read basic data; that read is logged once per candidate.
func complaintCandidateName(a *opstap.Actor, facts *pageFacts, dk vault.DataKey, c *complaint.Complaint, names map[string]string, entries []audit.Entry) ([]audit.Entry, error) {
	if n, ok := names[c.CandidateID]; ok {
		c.CandidateName = n
		return entries, nil
	}
	cand, s, err := facts.subject(c.CandidateID)
	if err != nil {
		return nil, err
	}
	d := access.DecideIdentify(a, s, access.ProcComplaint)
	if !d.Allowed && !a.System {
		names[c.CandidateID] = ""
		return entries, nil
	}
	if _, err := facts.basic(dk, c.CandidateID, &cand.Basic); err != nil {
		return nil, err
	}
	c.CandidateName = cand.DisplayName()
	names[c.CandidateID] = c.CandidateName
	return append(entries, candidateEntry(a, d, c.CandidateID, opstap.CatBasic, opstap.Read, PurposeComplaint)), nil
}

// OwnComplaints lists the signed-in candidate's own complaints, newest
// first, without the desk's internal notes.
func (db *DB) OwnComplaints(ctx context.Context, a *opstap.Actor) (string, []*complaint.Complaint, error) {
	var id string
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT id FROM candidates WHERE user_id = ?`), a.UserID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, errNoCandidate
	} else if err != nil {
		return "", nil, err
	}
	cs, _, err := db.FindComplaints(ctx, a, ComplaintFilter{CandidateID: id, Status: ListAll, Paging: Paging{Limit: MaxLimit}})
	slices.SortStableFunc(cs, func(x, y *complaint.Complaint) int { return y.CreatedAt.Compare(x.CreatedAt) })
	return id, cs, err
}

// HandleComplaint applies one handling step of the complaints desk
// [000 art 12]: acknowledge, assign a handler, record the outcome with a
// written explanation, escalate, or add an internal note. Each step that
// changes the status is announced to the candidate; the written texts are
// sealed under the candidate's key.
func (db *DB) HandleComplaint(ctx context.Context, a *opstap.Actor, id string, st complaint.Step) (*complaint.Complaint, error) {
	var c *complaint.Complaint
	err := db.WithTx(ctx, func(tx *Tx) error {
		var d access.Decision
		var err error
		if c, d, err = tx.readComplaint(ctx, a, id, opstap.Write); err != nil {
			return err
		}
		if err := st.Validate(c, opstap.DateOf(tx.Now())); err != nil {
			return err
		}
		before := c.Status
		if err := tx.applyStep(ctx, a, c, st); err != nil {
			return err
		}
		if c, _, err = tx.readComplaint(ctx, a, id, opstap.Write); err != nil {
			return err
		}
		if c.Status != before || st.Kind == complaint.StepOutcome {
			_, s, err := tx.candidateSubject(ctx, c.CandidateID)
			if err != nil {
				return err
			}
			if err := tx.notifyCandidate(ctx, s, HappenedComplaintStep); err != nil {
				return err
			}
		}
		if err := tx.complaintNotes(ctx, c); err != nil {
			return err
		}
		return tx.Audit(ctx, complaintEntry(a, d, c.CandidateID, opstap.Write))
	})
	return c, err
}

// applyStep writes one validated step.
func (tx *Tx) applyStep(ctx context.Context, a *opstap.Actor, c *complaint.Complaint, st complaint.Step) error {
	seal := func(field string) ([]byte, error) {
		dk, err := tx.dataKey(ctx, c.CandidateID)
		if err != nil || st.Text == "" {
			return nil, err
		}
		return dk.Seal([]byte(st.Text), complaintAAD(c.CandidateID, c.ID, field)), nil
	}
	now := tx.Now()
	switch st.Kind {
	case complaint.StepAcknowledge:
		_, err := tx.exec(ctx, `UPDATE complaints SET acknowledged_on = ?, updated_at = ? WHERE id = ?`, st.On, now, c.ID)
		return err
	case complaint.StepAssign:
		if err := tx.checkComplaintHandler(ctx, st.HandlerUserID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE complaints SET handler_user_id = ?, updated_at = ? WHERE id = ?`, st.HandlerUserID, now, c.ID)
		return err
	case complaint.StepOutcome:
		ct, err := seal("outcome")
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE complaints SET outcome = ?, outcome_text = ?, outcome_on = ?, updated_at = ? WHERE id = ?`, string(st.Outcome), ct, st.On, now, c.ID)
		return err
	case complaint.StepEscalate:
		ct, err := seal("escalation")
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE complaints SET escalated_on = ?, escalated_to = ?, escalation_note = ?, updated_at = ? WHERE id = ?`, st.On, string(st.EscalatedTo), ct, now, c.ID)
		return err
	}
	noteID := newID()
	ct, err := seal("note/" + noteID)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO complaint_notes (id, complaint_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)`, noteID, c.ID, actorID(a), ct, now)
	return err
}

// complaintHandlersWhere selects active complaints-desk accounts.
const complaintHandlersWhere = `FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = u.org_id
	WHERE g.role = ? AND g.blocked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?) AND u.blocked_at IS NULL AND o.kind = ?`

func (tx *Tx) checkComplaintHandler(ctx context.Context, userID string) error {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) `+complaintHandlersWhere+` AND u.id = ?`,
		string(opstap.RoleComplaintsDesk), tx.Now(), string(opstap.OrgProvider), userID).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return opstap.FieldError("handler_user_id", "the handler must be a member of the complaints desk")
	}
	return nil
}

// ComplaintHandler is a complaints-desk member who can be assigned.
type ComplaintHandler struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ComplaintHandlers lists the complaints-desk members, for assigning.
func (db *DB) ComplaintHandlers(ctx context.Context, a *opstap.Actor) ([]ComplaintHandler, error) {
	if !can(a, access.HandleComplaints) {
		return nil, forbidden()
	}
	rows, err := db.SQL.QueryContext(ctx, db.rebind(`SELECT DISTINCT u.id, u.name `+complaintHandlersWhere+` ORDER BY u.name, u.id`),
		string(opstap.RoleComplaintsDesk), db.Now().UTC(), string(opstap.OrgProvider))
	var out []ComplaintHandler
	if err := each(rows, err, func(rows scanner) error {
		var h ComplaintHandler
		if err := rows.Scan(&h.ID, &h.Name); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
