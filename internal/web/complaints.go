package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

func init() {
	registrars = append(registrars, (*Handler).registerComplaints)
	addNav(navItem{Order: 60, Href: "/complaints", Label: "Complaints", Caps: []access.Capability{access.HandleComplaints}})
	addNav(navItem{Order: 95, Href: "/notifications", Label: "Notifications"})
}

// registerComplaints adds the complaint pages [000 art 12; 004 "Vragen,
// opmerkingen en klachten"] and the notifications page.
func (h *Handler) registerComplaints(mux *http.ServeMux) {
	mux.HandleFunc("GET /complaints", h.authed(h.complaintQueue))
	mux.HandleFunc("GET /complaints/{id}", h.authed(h.complaintPage))
	mux.HandleFunc("POST /complaints/{id}/{step}", h.authed(h.complaintStep))
	mux.HandleFunc("GET /candidates/{id}/complaints/new", h.authed(h.newComplaintForm))
	mux.HandleFunc("POST /candidates/{id}/complaints", h.authed(h.fileComplaintForCandidate))
	mux.HandleFunc("GET /portal/complaints", h.authed(h.portalComplaints))
	mux.HandleFunc("POST /portal/complaints", h.authed(h.portalFileComplaint))
	mux.HandleFunc("GET /notifications", h.authed(h.notificationsPage))
	mux.HandleFunc("GET /portal/notifications", h.authed(h.notificationsPage))
	mux.HandleFunc("POST /notifications/read", h.authed(h.readAllNotifications))
	mux.HandleFunc("POST /notifications/{id}/read", h.authed(h.readNotification))
}

// complaintLabels are the option lists of the forms.
type complaintLabels struct {
	Channels    []complaint.Channel
	Outcomes    []complaint.Outcome
	Escalations []complaint.Escalation
}

var complaintOptions = complaintLabels{Channels: complaint.Channels, Outcomes: complaint.Outcomes, Escalations: complaint.Escalations}

// complaintQueue is the desk's queue a page at a time.
func (h *Handler) complaintQueue(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return queuePage(h, w, r, a, h.newPage(r, "Complaints"), "/complaints", "complaints", func(ctx context.Context, a *opstap.Actor, f store.RightsFilter) ([]*complaint.Complaint, store.Page, error) {
		return h.DB.FindComplaints(ctx, a, store.ComplaintFilter{Status: f.Status, Query: f.Query, Paging: f.Paging})
	})
}

// queueRows are the rows of a queue's page, with its filter and links.
type queueRows[T any] struct {
	Rows []T
	List *listView
}

// queuePage renders one page of the complaints desk's or the privacy
// officer's queue: open, overdue, closed or all, one candidate's found by
// client number, in the order chosen; load reads it (the fields of a
// RightsFilter are the filter of either queue).
func queuePage[T any](h *Handler, w http.ResponseWriter, r *http.Request, a *opstap.Actor, p *page, action, name string, load func(context.Context, *opstap.Actor, store.RightsFilter) ([]T, store.Page, error)) error {
	q := r.URL.Query()
	p.Form = q
	l, err := newList(action, q, "q", "status", "sort")
	l.Search = p.T("Client number")
	l.Statuses = choices(q, "status", store.ListStatuses, func(s string) string { return p.L("list-status", s) })
	l.Sorts = choices(q, "sort", []string{store.SortQueue, store.SortNewest, store.SortOldest}, func(s string) string { return p.L("sort", s) })
	rows, err := rowsOf(l, p.Lang, err, func() ([]T, store.Page, error) {
		return load(r.Context(), a, store.RightsFilter{Status: q.Get("status"), Query: q.Get("q"), Paging: l.paging(q.Get("sort"))})
	})
	p.Data = queueRows[T]{Rows: rows, List: l}
	return h.renderList(w, r, p, name, err)
}

type complaintData struct {
	C        *complaint.Complaint
	Handlers []store.ComplaintHandler
	Options  complaintLabels
	CanEdit  bool
}

func (h *Handler) complaintPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderComplaint(w, r, http.StatusOK, h.newPage(r, "Complaint"))
}

func (h *Handler) renderComplaint(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	c, err := h.DB.FindComplaint(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := complaintData{C: c, Options: complaintOptions}
	// Only the complaints desk handles: others see the complaint without
	// the handling forms.
	hs, err := h.DB.ComplaintHandlers(r.Context(), a)
	if err == nil {
		d.Handlers, d.CanEdit = hs, true
	} else if !forbidden(err) {
		return err
	}
	p.Data = d
	return h.render(w, r, status, "complaint", p)
}

// complaintSteps maps the form's step to the handling step and the
// message shown after it.
var complaintSteps = map[string]struct {
	kind complaint.StepKind
	done string
}{
	"acknowledge": {complaint.StepAcknowledge, "Acknowledgement recorded."},
	"assign":      {complaint.StepAssign, "Handler assigned."},
	"outcome":     {complaint.StepOutcome, "Outcome recorded."},
	"escalate":    {complaint.StepEscalate, "Escalation recorded."},
	"note":        {complaint.StepNote, "Note added."},
}

func (h *Handler) complaintStep(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	s, ok := complaintSteps[r.PathValue("step")]
	if !ok {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	st := complaint.Step{Kind: s.kind, HandlerUserID: r.PostFormValue("handler_user_id"), Outcome: complaint.Outcome(r.PostFormValue("outcome")),
		EscalatedTo: complaint.Escalation(r.PostFormValue("escalated_to")), Text: r.PostFormValue("text")}
	err := formLimits(&st)
	if v := strings.TrimSpace(r.PostFormValue("on")); err == nil && v != "" {
		if st.On, err = opstap.ParseDate(v); err != nil {
			err = opstap.FieldError("on", "not a valid date")
		}
	}
	if err == nil {
		_, err = h.DB.HandleComplaint(r.Context(), a, r.PathValue("id"), st)
	}
	if err != nil {
		p := h.formPage(r, "Complaint", err)
		p.Form.Set("step", r.PathValue("step"))
		return h.renderComplaint(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/complaints/"+url.PathEscape(r.PathValue("id")), i18n.T(httpx.Lang(r), s.done))
	return nil
}

type newComplaintData struct {
	CandidateID   string
	CandidateName string
	Options       complaintLabels
}

func (h *Handler) newComplaintForm(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderNewComplaint(w, r, http.StatusOK, h.newPage(r, "File a complaint"))
}

func (h *Handler) renderNewComplaint(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	c, err := h.DB.FindCandidate(r.Context(), httpx.AuthFrom(r).Actor, r.PathValue("id"), store.PurposeComplaint, "")
	if err != nil {
		return err
	}
	p.Data = newComplaintData{CandidateID: c.ID, CandidateName: c.DisplayName(), Options: complaintOptions}
	return h.render(w, r, status, "complaint_new", p)
}

// complaintFromForm reads the filing form.
func complaintFromForm(r *http.Request) (complaint.New, error) {
	n := complaint.New{Channel: complaint.Channel(r.PostFormValue("channel")), Subject: r.PostFormValue("subject"), Description: r.PostFormValue("description")}
	if v := strings.TrimSpace(r.PostFormValue("received_on")); v != "" {
		d, err := opstap.ParseDate(v)
		if err != nil {
			return n, opstap.FieldError("received_on", "not a valid date")
		}
		n.ReceivedOn = d
	}
	return n, formLimits(&n)
}

func (h *Handler) fileComplaintForCandidate(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	n, err := complaintFromForm(r)
	var c *complaint.Complaint
	if err == nil {
		c, err = h.DB.FileComplaint(r.Context(), a, r.PathValue("id"), n)
	}
	if err != nil {
		p := h.formPage(r, "File a complaint", err)
		return h.renderNewComplaint(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/complaints/"+c.ID, i18n.T(httpx.Lang(r), "Complaint registered."))
	return nil
}

type portalComplaintsData struct {
	Complaints []*complaint.Complaint
}

func (h *Handler) portalComplaints(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderPortalComplaints(w, r, http.StatusOK, h.newPage(r, "My complaints"))
}

func (h *Handler) renderPortalComplaints(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	_, cs, err := h.DB.OwnComplaints(r.Context(), httpx.AuthFrom(r).Actor)
	if err != nil {
		return err
	}
	p.Data = portalComplaintsData{Complaints: cs}
	return h.render(w, r, status, "portal_complaints", p)
}

func (h *Handler) portalFileComplaint(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	n := complaint.New{Channel: complaint.ChannelPortal, Subject: r.PostFormValue("subject"), Description: r.PostFormValue("description")}
	err := formLimits(&n)
	id := ""
	if err == nil {
		id, _, err = h.DB.OwnComplaints(r.Context(), a)
	}
	if err == nil {
		_, err = h.DB.FileComplaint(r.Context(), a, id, n)
	}
	if err != nil {
		p := h.formPage(r, "My complaints", err)
		return h.renderPortalComplaints(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/portal/complaints", i18n.T(httpx.Lang(r), "Thank you. Your complaint has been received; you will hear from the complaints desk."))
	return nil
}

type notificationsData struct {
	Notifications []store.Notification
	Unread        int
}

func (h *Handler) notificationsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	ns, unread, err := h.DB.Notifications(r.Context(), a)
	if err != nil {
		return err
	}
	p := h.newPage(r, "Notifications")
	if unread > 0 {
		p.Title = p.T("Notifications (%d unread)", unread)
	}
	p.Data = notificationsData{Notifications: ns, Unread: unread}
	return h.render(w, r, http.StatusOK, "notifications", p)
}

func (h *Handler) readNotification(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := h.DB.MarkNotificationRead(r.Context(), a, r.PathValue("id")); err != nil {
		return err
	}
	// Follow the notice's own link when asked to, else back to the list.
	to := "/notifications"
	if next := httpx.LocalPath(r.PostFormValue("next")); next != "/" {
		to = next
	}
	h.redirect(w, r, to, "")
	return nil
}

func (h *Handler) readAllNotifications(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := h.DB.MarkAllNotificationsRead(r.Context(), a); err != nil {
		return err
	}
	h.redirect(w, r, "/notifications", i18n.T(httpx.Lang(r), "All notifications marked read."))
	return nil
}

// complaintLabels names the codes of channels, statuses, outcomes and
// escalations for the pages.
var complaintLabelTexts = map[string]struct{ Label string }{
	string(complaint.ChannelPortal):        {Label: "Portal"},
	string(complaint.ChannelPhone):         {Label: "Telephone"},
	string(complaint.ChannelLetter):        {Label: "Letter"},
	string(complaint.ChannelEmail):         {Label: "E-mail"},
	string(complaint.ChannelInPerson):      {Label: "In person"},
	string(complaint.StatusReceived):       {Label: "Received"},
	string(complaint.StatusAcknowledged):   {Label: "Acknowledged"},
	string(complaint.StatusInProgress):     {Label: "Being handled"},
	string(complaint.StatusClosed):         {Label: "Decided"},
	string(complaint.StatusEscalated):      {Label: "Escalated"},
	string(complaint.OutcomeUpheld):        {Label: "Upheld"},
	string(complaint.OutcomePartlyUpheld):  {Label: "Partly upheld"},
	string(complaint.OutcomeNotUpheld):     {Label: "Not upheld"},
	string(complaint.OutcomeWithdrawn):     {Label: "Withdrawn"},
	string(complaint.EscalationManagement): {Label: "The provider's management"},
	string(complaint.EscalationCommittee):  {Label: "External complaints committee"},
}

// ComplaintLabel translates a complaint code (channel, status, outcome,
// escalation) for the page.
func (p *page) ComplaintLabel(code any) string {
	var s string
	switch v := code.(type) {
	case complaint.Channel:
		s = string(v)
	case complaint.Status:
		s = string(v)
	case complaint.Outcome:
		s = string(v)
	case complaint.Escalation:
		s = string(v)
	case string:
		s = v
	}
	if l, ok := complaintLabelTexts[s]; ok {
		return p.T(l.Label)
	}
	return s
}

// NoticeText translates the neutral line of a notification.
func (p *page) NoticeText(n store.Notification) string { return p.T(n.Text) }
