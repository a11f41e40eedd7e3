package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/privacy"
)

// The breach register [AVG art 33/34; 003 bewerkers art 5]: each
// (suspected) data breach, the 72-hour clock to notify the supervisory
// authority (Autoriteit Persoonsgegevens), the candidates and categories
// affected, the measures, whether the people were told, and which
// controllers (commissioners) were informed.

// PurposeBreach is the processing purpose of handling a breach.
const PurposeBreach = "breach_register"

// breachSealed is what is sealed: texts that may name people.
type breachSealed struct {
	Description string `json:"d"`
	Measures    string `json:"m"`
	ToldHow     string `json:"h"`
}

// Breach is one entry of the register.
type Breach struct {
	ID string `json:"id"`
	privacy.BreachInput
	Deadline     time.Time          `json:"deadline"` // DiscoveredAt + 72 hours
	CandidateIDs []string           `json:"candidate_ids"`
	Controllers  []BreachController `json:"controllers"`
	CreatedBy    string             `json:"created_by"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
}

// BreachController is a commissioner with affected candidates; it must be
// informed as the controller.
type BreachController struct {
	OrgID      string     `json:"org_id"`
	Name       string     `json:"name"`
	Candidates int        `json:"candidates"`
	InformedAt *time.Time `json:"informed_at,omitempty"`
}

func breachAAD(id string) string { return "breach/" + id }

func joinCategories(cs []opstap.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

func splitCategories(s string) []opstap.Category {
	var out []opstap.Category
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, opstap.Category(x))
		}
	}
	return out
}

// breachEntry is the audit entry for a change to the register; it names
// the breach by id only.
func breachEntry(a *opstap.Actor, detail string) audit.Entry {
	e := entryFor(a, audit.EventWrite)
	e.Purpose, e.Detail = PurposeBreach, detail
	return e
}

func (tx *Tx) writeBreach(ctx context.Context, id string, in privacy.BreachInput, insert bool, by string) error {
	plain, _ := json.Marshal(breachSealed{in.Description, in.Measures, in.SubjectsToldHow})
	sealed := tx.db.Keyring.SealSystem(plain, breachAAD(id))
	var told any
	if !in.SubjectsToldOn.IsZero() {
		told = in.SubjectsToldOn
	}
	args := []any{in.DiscoveredAt.UTC(), sealed, joinCategories(in.Categories), string(in.Status), nullTime(in.APNotifiedAt), in.APReference, told, tx.Now()}
	if insert {
		_, err := tx.exec(ctx, `INSERT INTO breaches (discovered_at, sealed, categories, status, ap_notified_at, ap_reference, subjects_told_on, updated_at, id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, id, by, tx.Now())...)
		return err
	}
	r, err := tx.exec(ctx, `UPDATE breaches SET discovered_at = ?, sealed = ?, categories = ?, status = ?, ap_notified_at = ?, ap_reference = ?,
		subjects_told_on = ?, updated_at = ? WHERE id = ?`, append(args, id)...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return errNoBreach
	}
	return nil
}

var errNoBreach = opstap.Errorf(opstap.ENOTFOUND, "no such breach")

// CreateBreach records a (suspected) breach.
func (db *DB) CreateBreach(ctx context.Context, a *opstap.Actor, in privacy.BreachInput) (*Breach, error) {
	if !can(a, access.ManageBreaches) {
		return nil, forbidden()
	}
	if err := in.Validate(db.Now()); err != nil {
		return nil, err
	}
	id := newID()
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.writeBreach(ctx, id, in, true, a.UserID); err != nil {
			return err
		}
		return tx.Audit(ctx, breachEntry(a, "recorded breach "+id))
	})
	if err != nil {
		return nil, err
	}
	return db.FindBreach(ctx, a, id)
}

// UpdateBreach replaces what is recorded of a breach.
func (db *DB) UpdateBreach(ctx context.Context, a *opstap.Actor, id string, in privacy.BreachInput) (*Breach, error) {
	if !can(a, access.ManageBreaches) {
		return nil, forbidden()
	}
	if err := in.Validate(db.Now()); err != nil {
		return nil, err
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.writeBreach(ctx, id, in, false, a.UserID); err != nil {
			return err
		}
		return tx.Audit(ctx, breachEntry(a, "updated breach "+id))
	})
	if err != nil {
		return nil, err
	}
	return db.FindBreach(ctx, a, id)
}

const breachColumns = `id, discovered_at, sealed, categories, status, ap_notified_at, ap_reference, subjects_told_on, created_by, created_at, updated_at`

func (db *DB) scanBreach(row scanner) (*Breach, error) {
	b := &Breach{}
	var sealed []byte
	var cats string
	if err := row.Scan(&b.ID, scanTime(&b.DiscoveredAt), &sealed, &cats, &b.Status, scanNullTime(&b.APNotifiedAt), &b.APReference,
		&b.SubjectsToldOn, &b.CreatedBy, scanTime(&b.CreatedAt), scanTime(&b.UpdatedAt)); err != nil {
		return nil, err
	}
	plain, err := db.Keyring.OpenSystem(sealed, breachAAD(b.ID))
	if err != nil {
		return nil, err
	}
	var s breachSealed
	if err := json.Unmarshal(plain, &s); err != nil {
		return nil, err
	}
	b.Description, b.Measures, b.SubjectsToldHow = s.Description, s.Measures, s.ToldHow
	b.Categories = splitCategories(cats)
	b.Deadline = privacy.BreachDeadline(b.DiscoveredAt)
	return b, nil
}

// FindBreaches lists the register, newest discovery first.
func (db *DB) FindBreaches(ctx context.Context, a *opstap.Actor) ([]*Breach, error) {
	if !can(a, access.ManageBreaches) {
		return nil, forbidden()
	}
	var out []*Breach
	err := db.WithTx(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, `SELECT `+breachColumns+` FROM breaches ORDER BY discovered_at DESC, id`)
		if err := each(rows, err, func(rows scanner) error {
			b, err := db.scanBreach(rows)
			if err != nil {
				return err
			}
			out = append(out, b)
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	return out, err
}

// FindBreach returns one breach with its candidates and controllers.
func (db *DB) FindBreach(ctx context.Context, a *opstap.Actor, id string) (*Breach, error) {
	if !can(a, access.ManageBreaches) {
		return nil, forbidden()
	}
	var b *Breach
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		b, err = db.scanBreach(tx.queryRow(ctx, `SELECT `+breachColumns+` FROM breaches WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errNoBreach
		} else if err != nil {
			return err
		}
		if b.CandidateIDs, err = tx.strings(ctx, `SELECT candidate_id FROM breach_candidates WHERE breach_id = ? ORDER BY added_at, candidate_id`, id); err != nil {
			return err
		}
		b.Controllers, err = tx.breachControllers(ctx, id)
		return err
	})
	return b, err
}

// strings runs a query of one text column.
func (tx *Tx) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := tx.query(ctx, (q), args...)
	out := []string{}
	if err := each(rows, err, func(rows scanner) error {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// breachControllers lists the commissioners whose candidates the breach
// touched, with when they were informed.
func (tx *Tx) breachControllers(ctx context.Context, id string) ([]BreachController, error) {
	rows, err := tx.query(ctx, (`SELECT o.id, o.name, COUNT(*), MAX(bc.informed_at) FROM breach_candidates x
		JOIN candidates c ON c.id = x.candidate_id JOIN organisations o ON o.id = c.commissioner_org_id
		LEFT JOIN breach_controllers bc ON bc.breach_id = x.breach_id AND bc.org_id = o.id
		WHERE x.breach_id = ? GROUP BY o.id, o.name ORDER BY o.name`), id)
	var out []BreachController
	if err := each(rows, err, func(rows scanner) error {
		var c BreachController
		if err := rows.Scan(&c.OrgID, &c.Name, &c.Candidates, scanNullTime(&c.InformedAt)); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// AddBreachCandidates adds affected candidates to a breach; ids already
// listed are skipped. Candidates are named by their random id only.
func (db *DB) AddBreachCandidates(ctx context.Context, a *opstap.Actor, id string, candidateIDs []string) (int, error) {
	if !can(a, access.ManageBreaches) {
		return 0, forbidden()
	}
	added := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		added = 0
		if err := tx.mustBreach(ctx, id); err != nil {
			return err
		}
		for _, cid := range candidateIDs {
			if _, _, err := tx.candidateSubject(ctx, strings.TrimSpace(cid)); err != nil {
				return opstap.FieldError("candidate_ids", "unknown candidate")
			}
			r, err := tx.exec(ctx, `INSERT INTO breach_candidates (breach_id, candidate_id, added_by, added_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (breach_id, candidate_id) DO NOTHING`, id, strings.TrimSpace(cid), a.UserID, tx.Now())
			if err != nil {
				return err
			}
			n, _ := r.RowsAffected()
			added += int(n)
		}
		return tx.Audit(ctx, breachEntry(a, "added "+strconv.Itoa(added)+" candidates to breach "+id))
	})
	return added, err
}

// RemoveBreachCandidate takes a candidate off a breach (added by mistake).
func (db *DB) RemoveBreachCandidate(ctx context.Context, a *opstap.Actor, id, candidateID string) error {
	if !can(a, access.ManageBreaches) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.exec(ctx, `DELETE FROM breach_candidates WHERE breach_id = ? AND candidate_id = ?`, id, candidateID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return opstap.Errorf(opstap.ENOTFOUND, "the candidate is not listed for this breach")
		}
		e := breachEntry(a, "removed a candidate from breach "+id)
		e.CandidateID = candidateID
		return tx.Audit(ctx, e)
	})
}

func (tx *Tx) mustBreach(ctx context.Context, id string) error {
	var one int
	if err := tx.queryRow(ctx, `SELECT 1 FROM breaches WHERE id = ?`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return errNoBreach
	} else if err != nil {
		return err
	}
	return nil
}

// MarkControllerInformed records that a commissioner whose candidates the
// breach touched was informed [003 bewerkers art 5].
func (db *DB) MarkControllerInformed(ctx context.Context, a *opstap.Actor, id, orgID string) error {
	if !can(a, access.ManageBreaches) {
		return forbidden()
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		cs, err := tx.breachControllers(ctx, id)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(cs, func(c BreachController) bool { return c.OrgID == orgID }) {
			return opstap.FieldError("org_id", "this organisation has no candidates affected by the breach")
		}
		if _, err := tx.exec(ctx, `INSERT INTO breach_controllers (breach_id, org_id, informed_at, informed_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (breach_id, org_id) DO UPDATE SET informed_at = excluded.informed_at, informed_by = excluded.informed_by`,
			id, orgID, tx.Now(), a.UserID); err != nil {
			return err
		}
		return tx.Audit(ctx, breachEntry(a, "informed controller "+orgID+" of breach "+id))
	})
}

// AssessedCandidate is one candidate whose data an account touched in the
// assessed period, with the categories and how often.
type AssessedCandidate struct {
	CandidateID string    `json:"candidate_id"`
	Categories  []string  `json:"categories"`
	Accesses    int       `json:"accesses"`
	First       time.Time `json:"first"`
	Last        time.Time `json:"last"`
	Listed      bool      `json:"listed"` // already on the breach
}

// BreachAssessment answers "which records did account X read between T1
// and T2" from the audit log, for the assessment of a breach: every
// allowed read, write, export or break-the-glass access to a candidate's
// data by the account in [from, to). account is a user id or an e-mail
// address. Reading the log is itself logged.
func (db *DB) BreachAssessment(ctx context.Context, a *opstap.Actor, breachID, account string, from, to time.Time) ([]AssessedCandidate, error) {
	b, err := db.FindBreach(ctx, a, breachID)
	if err != nil {
		return nil, err
	}
	userID, err := db.accountID(ctx, account)
	if err != nil {
		return nil, err
	}
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return nil, opstap.FieldError("to", "the end must lie after the start")
	}
	byID := map[string]*AssessedCandidate{}
	var order []string
	f := AuditFilter{ActorUserID: userID, From: from, To: to, Limit: 10000}
	for {
		es, err := db.FindAuditEntries(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.CandidateID == "" || e.Outcome == audit.OutcomeDenied || e.Outcome == audit.OutcomeFailed {
				continue
			}
			c := byID[e.CandidateID]
			if c == nil {
				c = &AssessedCandidate{CandidateID: e.CandidateID, First: e.At, Listed: slices.Contains(b.CandidateIDs, e.CandidateID)}
				byID[e.CandidateID] = c
				order = append(order, e.CandidateID)
			}
			c.Accesses++
			c.Last = e.At
			if e.Category != "" && !slices.Contains(c.Categories, e.Category) {
				c.Categories = append(c.Categories, e.Category)
			}
		}
		if len(es) < f.Limit {
			break
		}
		f.AfterSeq = es[len(es)-1].Seq
	}
	out := make([]AssessedCandidate, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	e := entryFor(a, audit.EventRead)
	e.Purpose = "audit"
	e.Detail = "breach " + breachID + " assessment of account " + userID + ": " + strconv.Itoa(len(out)) + " candidates"
	return out, db.AppendAudit(ctx, e)
}

// accountID resolves a user id or e-mail address.
func (db *DB) accountID(ctx context.Context, account string) (string, error) {
	account = strings.TrimSpace(account)
	var u *User
	var err error
	if strings.Contains(account, "@") {
		u, err = db.FindUserByEmail(ctx, account)
	} else {
		u, err = db.FindUserByID(ctx, account)
	}
	if opstap.ErrorCode(err) == opstap.ENOTFOUND || account == "" {
		return "", opstap.FieldError("account", "no such account")
	}
	if err != nil {
		return "", err
	}
	return u.ID, nil
}
