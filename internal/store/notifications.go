package store

import (
	"context"
	"time"

	"github.com/opstap/opstap"
)

// Notification is one in-app notice for the signed-in user. Text is the
// neutral English line of its kind (translate with internal/i18n); the
// notice never holds personal data, only where to look.
type Notification struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Event says what happened (notice_events.go); empty for kinds whose
	// line says it already.
	Event     string     `json:"event,omitempty"`
	Text      string     `json:"text"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

var errNoNotification = opstap.Errorf(opstap.ENOTFOUND, "no such notification")

// maxNotifications bounds the list.
const maxNotifications = 200

// Notifications returns the actor's own notifications, newest first, and
// how many are unread.
func (db *DB) Notifications(ctx context.Context, a *opstap.Actor) ([]Notification, int, error) {
	var out []Notification
	unread := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, a.UserID).Scan(&unread); err != nil {
			return err
		}
		rows, err := tx.tx.QueryContext(ctx, db.rebind(`SELECT id, kind, event, link, created_at, read_at FROM notifications
			WHERE user_id = ? ORDER BY created_at DESC, id LIMIT ?`), a.UserID, maxNotifications)
		if err := each(rows, err, func(rows scanner) error {
			var n Notification
			if err := rows.Scan(&n.ID, &n.Kind, &n.Event, &n.Link, scanTime(&n.CreatedAt), scanNullTime(&n.ReadAt)); err != nil {
				return err
			}
			n.Text = NoticeText(n.Kind)
			if t, ok := EventText(n.Event); ok {
				n.Text = t
			}
			out = append(out, n)
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	return out, unread, err
}

// UnreadNotifications counts the actor's unread notifications.
func (db *DB) UnreadNotifications(ctx context.Context, a *opstap.Actor) (int, error) {
	var n int
	err := db.SQL.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`), a.UserID).Scan(&n)
	return n, err
}

// MarkNotificationRead marks one of the actor's notifications read; another
// user's notification does not exist for them.
func (db *DB) MarkNotificationRead(ctx context.Context, a *opstap.Actor, id string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		r, err := tx.exec(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?`, tx.Now(), id, a.UserID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errNoNotification
		}
		return nil
	})
}

// MarkAllNotificationsRead marks every notification of the actor read.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, a *opstap.Actor) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, tx.Now(), a.UserID)
		return err
	})
}
