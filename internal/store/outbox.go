package store

import (
	"context"
	"strings"
	"sync"
	"time"
)

// noticeTexts are the neutral lines per notification kind: shown in the
// in-app list and used as the e-mail's subject and first line. They name no
// person and no dossier contents (DOMAIN.md §4); internal/i18n has the Dutch.
var noticeTexts = map[string]struct{ Text string }{
	NoticeReportAwaitingApproval: {Text: "A report is waiting for your approval in Opstap."},
	NoticeReportShared:           {Text: "A report has been shared in Opstap."},
	NoticeBriefUpdateShared:      {Text: "Brief progress information has been shared in Opstap."},
	NoticeComplaintUpdate:        {Text: "There is news about your complaint in Opstap."},
	NoticeTrajectoryChange:       {Text: "There is a change in your trajectory in Opstap."},
	NoticeNewDocument:            {Text: "A new document is ready for you in Opstap."},
	NoticeReportDecided:          {Text: "A candidate has answered a report in Opstap."},
}

// NoticeTextDefault is the line for a kind without its own.
const NoticeTextDefault = "There is a new message for you in Opstap."

// NoticeText returns the neutral English line for a notification kind; the
// caller translates it with internal/i18n.
func NoticeText(kind string) string {
	if t, ok := noticeTexts[kind]; ok {
		return t.Text
	}
	return NoticeTextDefault
}

// OutboxMail is one queued e-mail: an address, a kind and a link, nothing
// else — the sender builds a neutral text from the kind.
type OutboxMail struct {
	ID       string
	To       string
	Kind     string
	Link     string
	Language string
	Attempts int
}

// outboxHooks holds, per database, the function that runs in every
// transaction that queued e-mail (see OnOutbox).
var outboxHooks sync.Map // *DB → func(context.Context, *Tx) error

// OnOutbox sets fn to run inside each transaction that queues e-mail, so
// that the sender can be enqueued in the same transaction and starts as
// soon as it commits; nil removes it. The job runner sets it when it
// starts.
func (db *DB) OnOutbox(fn func(ctx context.Context, tx *Tx) error) {
	if fn == nil {
		outboxHooks.Delete(db)
		return
	}
	outboxHooks.Store(db, fn)
}

// outboxQueued runs the OnOutbox hook, if any.
func (tx *Tx) outboxQueued(ctx context.Context) error {
	fn, ok := outboxHooks.Load(tx.db)
	if !ok {
		return nil
	}
	return fn.(func(context.Context, *Tx) error)(ctx, tx)
}

// ClaimMail takes up to limit due e-mails — not sent, not given up, due for
// a (next) attempt, and not claimed by another worker — and claims them for
// lease, so two workers never send the same message.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]OutboxMail, error) {
	var out []OutboxMail
	err := db.WithTx(ctx, func(tx *Tx) error {
		now := tx.Now()
		rows, err := tx.tx.QueryContext(ctx, db.rebind(`SELECT id, to_address, kind, link, language, attempts FROM email_outbox
			WHERE sent_at IS NULL AND failed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
			AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY created_at, id LIMIT ?`), now, now, limit)
		var due []OutboxMail
		if err := each(rows, err, func(rows scanner) error {
			var m OutboxMail
			if err := rows.Scan(&m.ID, &m.To, &m.Kind, &m.Link, &m.Language, &m.Attempts); err != nil {
				return err
			}
			due = append(due, m)
			return nil
		}); err != nil {
			return err
		}
		for _, m := range due {
			// The condition is checked again under the row lock, so a
			// concurrent claimer on PostgreSQL changes nothing.
			r, err := tx.exec(ctx, `UPDATE email_outbox SET claimed_until = ? WHERE id = ? AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)`,
				now.Add(lease), m.ID, now)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 1 {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

// MailSent records a delivered e-mail.
func (db *DB) MailSent(ctx context.Context, id string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE email_outbox SET sent_at = ?, attempts = attempts + 1, claimed_until = NULL, last_error = '' WHERE id = ?`, tx.Now(), id)
		return err
	})
}

// maxMailError bounds the stored error text.
const maxMailError = 500

// MailFailed records a failed attempt: the next attempt at retryAt, or,
// when giveUp, none (failed_at is set).
func (db *DB) MailFailed(ctx context.Context, id, msg string, retryAt time.Time, giveUp bool) error {
	if len(msg) > maxMailError {
		msg = msg[:maxMailError]
	}
	msg = strings.ToValidUTF8(msg, "")
	return db.WithTx(ctx, func(tx *Tx) error {
		var failedAt, next any
		if giveUp {
			failedAt = tx.Now()
		} else {
			next = retryAt.UTC()
		}
		_, err := tx.exec(ctx, `UPDATE email_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, failed_at = ?, claimed_until = NULL WHERE id = ?`,
			msg, next, failedAt, id)
		return err
	})
}
