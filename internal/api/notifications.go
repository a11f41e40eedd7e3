package api

import (
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
)

func init() { routeGroups = append(routeGroups, (*Handler).notificationRoutes) }

// notificationRoutes: the caller's own in-app notifications. A notice says
// only that there is news and where; never whose or what.
func (h *Handler) notificationRoutes() []route {
	return []route{
		{"GET /api/v1/notifications", h.authed(h.notifications)},
		{"POST /api/v1/notifications/read", h.authed(h.readAllNotifications)},
		{"POST /api/v1/notifications/{id}/read", h.authed(h.readNotification)},
	}
}

func (h *Handler) notifications(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ns, unread, err := h.DB.Notifications(r.Context(), a)
	if err != nil {
		return err
	}
	lang := httpx.Lang(r)
	for i := range ns {
		ns[i].Text = i18n.T(lang, ns[i].Text)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"notifications": nonNil(ns), "unread": unread})
	return nil
}

func (h *Handler) readNotification(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.MarkNotificationRead(r.Context(), a, r.PathValue("id")))
}

func (h *Handler) readAllNotifications(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.noContent(w, h.DB.MarkAllNotificationsRead(r.Context(), a))
}
