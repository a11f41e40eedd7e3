package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/opstap/opstap"
)

// Notification kinds. Each has a neutral text in both languages
// (internal/i18n); the text never names a person or dossier contents.
const (
	NoticeReportAwaitingApproval = "report_awaiting_approval"
	NoticeReportShared           = "report_shared"
	NoticeBriefUpdateShared      = "brief_update_shared"
	NoticeComplaintUpdate        = "complaint_update"
	NoticeTrajectoryChange       = "trajectory_change"
	NoticeNewDocument            = "new_document"
	NoticeReportDecided          = "report_decided"
)

// NoticeKinds is every notification kind, wherever its constant lives: the
// API document's enum is checked against it and Notify refuses a kind that is
// not here, so a new kind cannot reach users undocumented.
var NoticeKinds = []string{
	NoticeReportAwaitingApproval, NoticeReportShared, NoticeBriefUpdateShared, NoticeComplaintUpdate,
	NoticeTrajectoryChange, NoticeNewDocument, NoticeRectification, NoticeHoursUpdate, NoticeGrantsDue,
	NoticePlacementUpdate, NoticeRightsUpdate, NoticeAgreement, NoticeReportDecided,
}

// Notify records an in-app notification for the user and queues a neutral
// e-mail with a link, in the caller's transaction, so the notice exists
// exactly when the change it announces does. link is a path such as
// /portal/reports; the sender makes it absolute.
func (tx *Tx) Notify(ctx context.Context, userID, kind, link string) error {
	return tx.notify(ctx, userID, kind, "", link)
}

func (tx *Tx) notify(ctx context.Context, userID, kind, event, link string) error {
	if !slices.Contains(NoticeKinds, kind) {
		return opstap.Errorf(opstap.EINTERNAL, "notification kind %q is not in store.NoticeKinds", kind)
	}
	if _, err := tx.exec(ctx, `INSERT INTO notifications (id, user_id, kind, event, link, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		newID(), userID, kind, event, link, tx.Now()); err != nil {
		return err
	}
	var email, lang string
	err := tx.queryRow(ctx, `SELECT email, language FROM users WHERE id = ? AND blocked_at IS NULL`, userID).Scan(&email, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // blocked: in-app only
	} else if err != nil {
		return err
	}
	if _, err = tx.exec(ctx, `INSERT INTO email_outbox (id, to_address, kind, link, language, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		newID(), email, kind, link, lang, tx.Now()); err != nil {
		return err
	}
	return tx.outboxQueued(ctx)
}
