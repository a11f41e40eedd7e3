package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/download"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/render"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/trajectory"
)

func init() {
	registrars = append(registrars, (*Handler).registerPlacements)
	addNav(navItem{Order: 32, Href: "/placements", Label: "Placements", Roles: []opstap.Role{opstap.RoleCaseManager}})
	addNav(navItem{Order: 33, Href: "/employer/placements", Label: "Placements", Roles: []opstap.Role{opstap.RoleEmployer}})
	addNav(navItem{Order: 34, Href: "/portal/placements", Label: "My placements", Roles: []opstap.Role{opstap.RoleCandidate}})
}

// registerPlacements adds the placement pages (issue 5 points 5 and 6):
// the municipality proposes, confirms and ends; the candidate and the
// employer answer and download their confirmation [003 art 5 lid 4].
func (h *Handler) registerPlacements(mux *http.ServeMux) {
	mux.HandleFunc("GET /assignments/{id}/placements", h.authed(h.assignmentPlacementsPage))
	mux.HandleFunc("GET /assignments/{id}/proposals/new", h.authed(h.proposalPage))
	mux.HandleFunc("POST /assignments/{id}/proposals", h.authed(h.propose))
	mux.HandleFunc("GET /placements", h.authed(h.municipalityPlacements))
	mux.HandleFunc("GET /placements/{id}", h.authed(h.placementPage))
	mux.HandleFunc("POST /placements/{id}/answer", h.authed(h.answer))
	mux.HandleFunc("POST /placements/{id}/{step}", h.authed(h.placementStep))
	mux.HandleFunc("GET /placements/{id}/confirmations/{party}", h.authed(download.Files{DB: h.DB}.PlacementConfirmation))
	mux.HandleFunc("GET /employer/placements", h.authed(h.employerPlacements))
	mux.HandleFunc("GET /portal/placements", h.authed(h.placementList(h.DB.PortalPlacements)))
}

type assignmentPlacementsData struct {
	Ranking    *store.CandidateRanking
	Placements []*store.PlacementView
}

func (h *Handler) assignmentPlacementsPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderAssignmentPlacements(w, r, http.StatusOK, h.newPage(r, "Placements"))
}

func (h *Handler) renderAssignmentPlacements(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a, id := httpx.AuthFrom(r).Actor, r.PathValue("id")
	rk, err := h.DB.RankCandidates(r.Context(), a, id, 20)
	if err != nil {
		return err
	}
	ps, err := h.DB.AssignmentPlacements(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Data = assignmentPlacementsData{Ranking: rk, Placements: ps}
	return h.render(w, r, status, "placements_assignment", p)
}

type proposalData struct {
	A *flex.Assignment
	C *candidate.Candidate
}

// proposalPage is the proposal of one candidate for one assignment, reached
// from the matching list and the assignment's placements: both are filled
// in, the placement's own period and hours may be left to the assignment.
func (h *Handler) proposalPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderProposal(w, r, http.StatusOK, h.newPage(r, "Propose a candidate"))
}

func (h *Handler) renderProposal(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	as, err := h.DB.FindAssignment(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	c, err := h.DB.FindCandidate(r.Context(), a, r.FormValue("candidate_id"), store.PurposePlacement, "")
	if err != nil {
		return err
	}
	p.Data = proposalData{A: as, C: c}
	return h.render(w, r, status, "proposal", p)
}

func (h *Handler) propose(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := flex.Proposal{CandidateID: r.PostFormValue("candidate_id")}
	err := errors.Join(formDate(r, "first_day", &in.FirstDay), formDate(r, "last_day", &in.LastDay), formInt(r.PostForm, "hours_per_week", &in.HoursPerWeek))
	var pl *flex.Placement
	if err == nil {
		pl, err = h.DB.ProposePlacement(r.Context(), a, r.PathValue("id"), in)
	}
	to := ""
	if pl != nil {
		to = "/placements/" + pl.ID
	}
	return h.afterPost(w, r, err, to, "The candidate is proposed; the candidate and the employer are asked.", "Propose a candidate", h.renderProposal)
}

type municipalityPlacementsData struct {
	Placements []*store.PlacementView
	List       *listView
}

// municipalityPlacements is the case manager's list of their
// municipality's placements; the home page's count of those waiting for
// the confirmation leads here with status=accepted.
func (h *Handler) municipalityPlacements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	title := "Placements"
	if flex.PlacementStatus(r.URL.Query().Get("status")) == flex.PlacementAccepted {
		title = "Placements waiting for your confirmation"
	}
	p := h.newPage(r, title)
	d := municipalityPlacementsData{}
	var err error
	d.List, d.Placements, err = placementPage(p, r, "/placements", h.DB.MunicipalityPlacements)
	p.Data = d
	return h.renderList(w, r, p, "placements_municipality", err)
}

// placementPage reads the filter of a placements list and one page of it
// from load.
func placementPage(p *page, r *http.Request, action string, load func(context.Context, *opstap.Actor, store.PlacementFilter) ([]*store.PlacementView, store.Page, error)) (*listView, []*store.PlacementView, error) {
	q := r.URL.Query()
	p.Form = q
	l, err := newList(action, q, "q", "status", "sort")
	l.Search = p.T("Search by assignment, employer or client number")
	l.Statuses = withAll(p, q, choices(q, "status", codes(flex.PlacementStatuses), func(s string) string { return p.L("placement", s) }))
	l.Sorts = choices(q, "sort", []string{store.SortStart, store.SortNewest, store.SortTitle}, func(s string) string { return p.L("sort", s) })
	ps, err := rowsOf(l, p.Lang, err, func() ([]*store.PlacementView, store.Page, error) {
		return load(r.Context(), httpx.AuthFrom(r).Actor, store.PlacementFilter{Status: flex.PlacementStatus(q.Get("status")), Query: q.Get("q"), Paging: l.paging(q.Get("sort"))})
	})
	return l, ps, err
}

// employerPlacements is the employer's list of the placements with them, a
// page at a time, with their answers and confirmations.
func (h *Handler) employerPlacements(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Placements")
	d := placementListData{Party: flex.PartyEmployer}
	var err error
	d.List, d.Placements, err = placementPage(p, r, "/employer/placements", h.DB.EmployerPlacements)
	d.List.Search = p.T("Search by assignment")
	p.Data = d
	return h.renderList(w, r, p, "placements_list", err)
}

type placementData struct {
	P           *store.PlacementView
	Staff       bool
	Party       flex.Party
	Outcomes    []flex.Outcome
	Contracts   []trajectory.ContractKind
	DayLabels   map[string]string
	Confirmable bool
	Answerable  bool
}

func (h *Handler) placementPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.renderPlacement(w, r, http.StatusOK, h.newPage(r, "Placement"))
}

func (h *Handler) renderPlacement(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	v, err := h.DB.FindPlacement(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	cbs, err := h.DB.ActorMunicipality(r.Context(), a)
	if err != nil {
		return err
	}
	d := placementData{P: v, Staff: cbs != "" && cbs == v.Municipality, Party: partyOf(a), Outcomes: flex.Outcomes, Contracts: trajectory.ContractKinds}
	d.Confirmable = v.Status.CheckConfirm() == nil
	d.Answerable = answerable(d.Party, v.Status)
	p.Data = d
	return h.render(w, r, status, "placement", p)
}

// partyOf is the party an actor answers for; staff answer for none.
func partyOf(a *opstap.Actor) flex.Party {
	switch {
	case a.Has(opstap.RoleEmployer, opstap.Write):
		return flex.PartyEmployer
	case a.Has(opstap.RoleCandidate, opstap.Write):
		return flex.PartyCandidate
	}
	return ""
}

// answer is the candidate's or the employer's yes or no; back to their list.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	accept := r.PostFormValue("accept") == "1"
	to := "/portal/placements"
	if partyOf(a) == flex.PartyEmployer {
		to = "/employer/placements"
	}
	if !accept {
		if shown, err := h.confirmFirst(w, r, "Decline the proposal", msgConfirmDecline, "Yes, decline", to); shown {
			return err
		}
	}
	_, err := h.DB.AnswerPlacement(r.Context(), a, r.PathValue("id"), accept)
	done := "You declined the proposal."
	if accept {
		done = "You accepted the proposal."
	}
	return h.afterPost(w, r, err, to, done, "Placement", h.renderPlacement)
}

// placementStep runs one of the municipality's steps on a placement.
func (h *Handler) placementStep(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a, id := a, r.PathValue("id")
	steps := map[string]func() error{
		"confirm": func() error {
			_, err := h.DB.ConfirmPlacement(r.Context(), a, id, render.PlacementPDFs)
			return err
		},
		"cancel":    func() error { return h.DB.CancelPlacement(r.Context(), a, id) },
		"hours":     func() error { return h.changeHours(r, a, id) },
		"extension": func() error { return h.extension(r, a, id) },
		"end":       func() error { return h.endPlacement(r, a, id) },
	}
	step, ok := steps[r.PathValue("step")]
	if !ok {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	switch r.PathValue("step") {
	case "cancel":
		if shown, err := h.confirmFirst(w, r, "Withdraw the proposal", msgConfirmWithdraw, "Yes, withdraw", "/placements/"+id); shown {
			return err
		}
	case "end":
		if shown, err := h.confirmFirst(w, r, "End the placement early", msgConfirmEndPlacement, "Yes, end the placement", "/placements/"+id); shown {
			return err
		}
	}
	return h.afterPost(w, r, step(), "/placements/"+id, "The placement is updated.", "Placement", h.renderPlacement)
}

func (h *Handler) changeHours(r *http.Request, a *opstap.Actor, id string) error {
	var c flex.HoursPeriod
	if err := errors.Join(formDate(r, "from", &c.From), formInt(r.PostForm, "hours_per_week", &c.HoursPerWeek)); err != nil {
		return err
	}
	return h.DB.ChangePlacementHours(r.Context(), a, id, c)
}

func (h *Handler) extension(r *http.Request, a *opstap.Actor, id string) error {
	e := flex.Extension{Motivation: r.PostFormValue("motivation")}
	if err := formDate(r, "until", &e.Until); err != nil {
		return err
	}
	return h.DB.ApproveExtension(r.Context(), a, id, e, r.PostFormValue("extend_last_day") == "1")
}

func (h *Handler) endPlacement(r *http.Request, a *opstap.Actor, id string) error {
	e := flex.PlacementEnd{Outcome: flex.Outcome(r.PostFormValue("outcome")), Reason: r.PostFormValue("reason"),
		ContractKind: trajectory.ContractKind(r.PostFormValue("contract_kind"))}
	if err := errors.Join(formDate(r, "on", &e.On), formInt(r.PostForm, "hours_per_week", &e.HoursPerWeek)); err != nil {
		return err
	}
	return h.DB.EndPlacement(r.Context(), a, id, e)
}

type placementListData struct {
	Placements []*store.PlacementView
	Party      flex.Party
	List       *listView // the employer's list pages; the candidate's is short
}

// Answerable reports whether the party still has to answer a proposal in
// status s: a party that accepted is not offered the buttons again, which
// would only end in "already answered".
func (d placementListData) Answerable(s flex.PlacementStatus) bool {
	return answerable(d.Party, s)
}

func answerable(p flex.Party, s flex.PlacementStatus) bool {
	_, err := s.Answer(p, true)
	return p != "" && err == nil
}

// placementList is the candidate's list of placements, with their answers
// and confirmations.
func (h *Handler) placementList(load func(ctx context.Context, a *opstap.Actor) ([]*store.PlacementView, error)) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
		p := h.newPage(r, "Placements")
		ps, err := load(r.Context(), a)
		if err != nil {
			return err
		}
		p.Data = placementListData{Placements: ps, Party: partyOf(a)}
		return h.render(w, r, http.StatusOK, "placements_list", p)
	}
}

// WeekDay is the label of a day code (mon … sun), for templates.
func (p *page) WeekDay(code string) string {
	for i, n := range flex.DayNames {
		if n == code {
			return p.T(flex.DayLabels[i])
		}
	}
	return code
}
