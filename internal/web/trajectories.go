package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/trajectory"
)

func init() { registrars = append(registrars, (*Handler).registerTrajectories) }

// Trajectory pages: the staff page of a candidate's trajectories, with the
// steps of seed 000 arts 7–11 offered only when allowed (a refused step
// shows why), and the candidate's own portal page.
func (h *Handler) registerTrajectories(mux *http.ServeMux) {
	mux.HandleFunc("GET /candidates/{id}/trajectory", h.authed(h.trajectoryPage))
	mux.HandleFunc("POST /candidates/{id}/trajectory", h.authed(h.trajectoryPost))
	mux.HandleFunc("POST /candidates/{id}/trajectory/{op}", h.authed(h.trajectoryPost))
	mux.HandleFunc("GET /portal/trajectory", h.authed(h.portalTrajectoryPage))
	mux.HandleFunc("POST /portal/trajectory/{op}", h.authed(h.portalTrajectoryPost))
}

// trajLabels are the English labels of the trajectory's enumerations; the
// Dutch is in internal/i18n/nl_trajectories.go.
var trajLabels = map[string]string{
	"guidance_mediation": "Guidance and mediation", "reintegration": "Re-integration", "flex": "Flex",
	"registered": "Registered", "intake": "Intake", "active": "Active", "suspended": "Suspended", "ended": "Ended",
	"start_intake": "Start the intake", "activate": "Activate", "suspend": "Suspend", "resume": "Resume", "end": "End",
	"illness": "Illness", "pregnancy": "Pregnancy", "special_circumstances": "Special circumstances",
	"noncompliance": "Non-compliance", "incorrect_information": "Incorrect or incomplete information",
	"regular_work": "Outflow to regular work", "end_of_term": "End of term", "ended_by_candidate": "Ended by the candidate",
	"ended_by_provider_noncompliance": "Ended by the provider: non-compliance", "ended_by_provider_incorrect_information": "Ended by the provider: incorrect information", "other": "Other",
	"permanent": "Permanent contract", "fixed_term": "Fixed-term contract", "temporary_agency": "Temporary agency work", "on_call": "On-call contract", "self_employed": "Self-employed",
	"meeting": "Meeting with the coach", "workshop": "Workshop", "training": "Training", "activity": "Activity",
	"unreachable": "Repeatedly unreachable", "not_following_advice": "Not following advice", "insufficient_motivation": "Insufficient motivation", "obstructing": "Obstructing the guidance",
	"addressed": "Candidate addressed", "chance_given": "Chance to comply given", "commissioner_informed": "Commissioner informed", "candidate_informed": "Candidate informed of the intended measure",
	"candidate": "Candidate", "commissioner": "Commissioner",
	"created": "Created", "transition": "Status changed", "coach_reassigned": "Coach reassigned",
}

// TrajLabel translates an enumeration value of a trajectory.
func (p *page) TrajLabel(v any) string {
	s := fmt.Sprint(v)
	if l, ok := trajLabels[s]; ok {
		return p.T(l)
	}
	return s
}

// trajStep is a button of the page: allowed now, or refused with the reason.
type trajStep struct {
	Action string
	Why    string // empty when allowed
}

// trajCaseView is a non-compliance case with its possible next steps.
type trajCaseView struct {
	trajectory.Noncompliance
	Steps    []trajStep // the procedure's steps not yet recorded
	Suspend  trajStep
	End      trajStep
	Measures bool
}

// trajView is one trajectory on the staff page.
type trajView struct {
	trajectory.Trajectory
	Simple       []trajStep // start intake, activate, resume
	Suspend11    trajStep   // suspension on the grounds of article 11
	EndStep      trajStep
	Cases        []trajCaseView
	IsOpen       bool
	CoachName    string
	TalkCand     bool
	TalkComm     bool
	CanSuspendTo bool
}

type trajPageData struct {
	CandidateID   string
	Trajectories  []trajView
	HasOpen       bool
	Kinds         []trajectory.Kind
	Grounds11     []trajectory.Ground
	EndReasons    []trajectory.EndReason
	ContractKinds []trajectory.ContractKind
	ApptKinds     []trajectory.AppointmentKind
	NCKinds       []trajectory.NCKind
	Warning       string
	Today         string
}

func (h *Handler) trajViewOf(ctx context.Context, lang string, t trajectory.Trajectory) (trajView, error) {
	why := func(err error) string {
		if err == nil {
			return ""
		}
		return httpx.Message(lang, err)
	}
	v := trajView{Trajectory: t, IsOpen: t.Open(), CoachName: t.CoachUserID}
	if t.CoachUserID != "" {
		u, err := h.DB.FindUserByID(ctx, t.CoachUserID)
		if err != nil {
			return v, err
		}
		v.CoachName = u.Name
	}
	for _, act := range []trajectory.Action{trajectory.ActStartIntake, trajectory.ActActivate, trajectory.ActResume} {
		if _, err := trajectory.Next(t.Status, act); err == nil {
			_, err = t.Check(trajectory.Request{Action: act})
			v.Simple = append(v.Simple, trajStep{Action: string(act), Why: why(err)})
		}
	}
	_, err := t.Check(trajectory.Request{Action: trajectory.ActSuspend, Ground: trajectory.GroundIllness})
	v.Suspend11 = trajStep{Action: string(trajectory.ActSuspend), Why: why(err)}
	_, err = trajectory.Next(t.Status, trajectory.ActEnd)
	v.EndStep = trajStep{Action: string(trajectory.ActEnd), Why: why(err)}
	v.CanSuspendTo = t.Status == trajectory.StatusActive
	for _, k := range t.Talks {
		v.TalkCand = v.TalkCand || k.Party == trajectory.PartyCandidate
		v.TalkComm = v.TalkComm || k.Party == trajectory.PartyCommissioner
	}
	for _, c := range t.Cases {
		v.Cases = append(v.Cases, trajCaseViewOf(&t, c, why))
	}
	return v, nil
}

func trajCaseViewOf(t *trajectory.Trajectory, c trajectory.Noncompliance, why func(error) string) trajCaseView {
	cv := trajCaseView{Noncompliance: c, Measures: c.MeasureTaken == "" && t.Open()}
	for _, s := range trajectory.Steps {
		if c.Step(s) != nil || !cv.Measures {
			continue
		}
		// Placeholders for the inputs the form asks, so only the order of
		// the procedure decides here.
		probe := trajectory.StepRecord{Step: s, Deadline: opstap.Date{Year: 2000, Month: 1, Day: 1}, Measure: trajectory.MeasureEnd}
		cv.Steps = append(cv.Steps, trajStep{Action: string(s), Why: why(c.CanRecord(probe))})
	}
	ground, reason := trajectory.GroundNoncompliance, trajectory.EndByProviderNoncompliance
	if c.Kind == trajectory.NCIncorrectInformation {
		ground, reason = trajectory.GroundIncorrectInformation, trajectory.EndByProviderIncorrectInfo
	}
	_, err := t.Check(trajectory.Request{Action: trajectory.ActSuspend, Ground: ground, NoncomplianceID: c.ID})
	cv.Suspend = trajStep{Action: string(ground), Why: why(err)}
	_, err = t.Check(trajectory.Request{Action: trajectory.ActEnd, End: &trajectory.End{Reason: reason}, NoncomplianceID: c.ID})
	cv.End = trajStep{Action: string(reason), Why: why(err)}
	return cv
}

func (h *Handler) trajData(ctx context.Context, p *page, candidateID string, ts []trajectory.Trajectory) (trajPageData, error) {
	d := trajPageData{CandidateID: candidateID, Kinds: trajectory.Kinds, Grounds11: []trajectory.Ground{trajectory.GroundIllness, trajectory.GroundPregnancy, trajectory.GroundSpecialCircumstances},
		EndReasons: []trajectory.EndReason{trajectory.EndRegularWork, trajectory.EndOfTerm, trajectory.EndOther}, ContractKinds: trajectory.ContractKinds,
		ApptKinds: trajectory.AppointmentKinds, NCKinds: trajectory.NCKinds, Warning: p.T(trajectory.BenefitWarning), Today: opstap.DateOf(h.DB.Now()).String()}
	for _, t := range ts {
		d.HasOpen = d.HasOpen || t.Open()
		v, err := h.trajViewOf(ctx, p.Lang, t)
		if err != nil {
			return d, err
		}
		d.Trajectories = append(d.Trajectories, v)
	}
	return d, nil
}

// trajLoader reads the trajectories a page shows, and their candidate.
type trajLoader func(r *http.Request, a *opstap.Actor) (string, []trajectory.Trajectory, error)

// staffTrajectories: the candidate of the path, as the access policy allows
// (a coach who is not assigned states a reason).
func (h *Handler) staffTrajectories(r *http.Request, a *opstap.Actor) (string, []trajectory.Trajectory, error) {
	id := r.PathValue("id")
	ts, err := h.DB.CandidateTrajectories(r.Context(), a, id, store.PurposeGuidance, "")
	return id, ts, err
}

// portalTrajectories: the signed-in candidate's own.
func (h *Handler) portalTrajectories(r *http.Request, a *opstap.Actor) (string, []trajectory.Trajectory, error) {
	return h.DB.PortalTrajectories(r.Context(), a)
}

// trajRender shows a trajectory page, with err beside its field when set.
func (h *Handler) trajRender(w http.ResponseWriter, r *http.Request, status int, err error, title, tmpl string, load trajLoader) error {
	p := h.newPage(r, title)
	id, ts, rerr := load(r, p.Actor)
	if rerr != nil {
		return rerr
	}
	if err != nil {
		httpx.LogError(r, err)
		p.setError(err)
		p.Form = r.PostForm
	}
	d, err := h.trajData(r.Context(), p, id, ts)
	if err != nil {
		return err
	}
	p.Data = d
	return h.render(w, r, status, tmpl, p)
}

// trajectoryRender shows the staff page.
func (h *Handler) trajectoryRender(w http.ResponseWriter, r *http.Request, status int, err error) error {
	return h.trajRender(w, r, status, err, "Trajectory", "trajectory", h.staffTrajectories)
}

func (h *Handler) trajectoryPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.trajectoryRender(w, r, http.StatusOK, nil)
}

// trajOps are the staff page's form posts, by the last path segment.
var trajOps = map[string]func(h *Handler, r *http.Request, a *opstap.Actor) error{
	"":              trajPostCreate,
	"transition":    trajPostTransition,
	"coach":         trajPostCoach,
	"appointments":  trajPostAppointment,
	"absence":       func(h *Handler, r *http.Request, a *opstap.Actor) error { return trajPostAbsence(h, r, a, false) },
	"noncompliance": trajPostNoncompliance,
	"steps":         trajPostStep,
	"talks":         trajPostTalk,
}

func (h *Handler) trajectoryPost(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	op, ok := trajOps[r.PathValue("op")]
	if !ok {
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if r.PathValue("op") == "transition" && r.PostFormValue("action") == string(trajectory.ActEnd) {
		if shown, err := h.confirmFirst(w, r, "End the trajectory", msgConfirmEndTrajectory, "Yes, end the trajectory", "/candidates/"+r.PathValue("id")+"/trajectory"); shown {
			return err
		}
	}
	if err := op(h, r, a); err != nil {
		if st := httpx.Status(err); st == http.StatusForbidden || st == http.StatusNotFound {
			return err
		}
		return h.trajectoryRender(w, r, httpx.Status(err), err)
	}
	h.redirect(w, r, "/candidates/"+r.PathValue("id")+"/trajectory", i18n.T(httpx.Lang(r), "Saved."))
	return nil
}

func trajPostCreate(h *Handler, r *http.Request, a *opstap.Actor) error {
	_, err := h.DB.CreateTrajectory(r.Context(), a, r.PathValue("id"), store.NewTrajectory{Kind: trajectory.Kind(r.PostFormValue("kind"))})
	return err
}

func trajPostTransition(h *Handler, r *http.Request, a *opstap.Actor) error {
	f := r.PostFormValue
	req := trajectory.Request{Action: trajectory.Action(f("action")), Ground: trajectory.Ground(f("ground")), NoncomplianceID: f("noncompliance_id"), Note: f("note")}
	if req.Action == trajectory.ActEnd {
		req.End = &trajectory.End{Reason: trajectory.EndReason(f("reason"))}
		// The form shows the contract's fields with every reason; they
		// count only with outflow to regular work.
		if req.End.Reason == trajectory.EndRegularWork {
			hours, err := postedInt(r, "hours_per_week")
			if err != nil {
				return err
			}
			req.End.ContractKind, req.End.HoursPerWeek = trajectory.ContractKind(f("contract_kind")), hours
		}
	}
	return h.DB.Transition(r.Context(), a, f("trajectory_id"), req)
}

func trajPostCoach(h *Handler, r *http.Request, a *opstap.Actor) error {
	u, err := h.DB.FindUserByEmail(r.Context(), strings.TrimSpace(r.PostFormValue("coach_email")))
	if err != nil {
		return opstap.FieldError("coach_email", "unknown coach")
	}
	err = h.DB.ReassignCoach(r.Context(), a, r.PostFormValue("trajectory_id"), u.ID)
	if e := opstap.AsError(err); e != nil && e.Field == "coach_user_id" {
		e.Field = "coach_email"
	}
	return err
}

func trajPostAppointment(h *Handler, r *http.Request, a *opstap.Actor) error {
	f := r.PostFormValue
	at, err := time.ParseInLocation("2006-01-02 15:04", f("date")+" "+f("time"), opstap.Amsterdam)
	if err != nil {
		return opstap.FieldError("starts_at", "date and time are required")
	}
	_, err = h.DB.AddAppointment(r.Context(), a, f("trajectory_id"), trajectory.Appointment{StartsAt: at, Kind: trajectory.AppointmentKind(f("kind")), Location: f("location")})
	return err
}

func trajPostAbsence(h *Handler, r *http.Request, a *opstap.Actor, byCandidate bool) error {
	_, err := h.DB.ReportAbsence(r.Context(), a, r.PostFormValue("appointment_id"), r.PostFormValue("reason"), byCandidate)
	return err
}

func trajPostNoncompliance(h *Handler, r *http.Request, a *opstap.Actor) error {
	_, err := h.DB.RecordNoncompliance(r.Context(), a, r.PostFormValue("trajectory_id"), store.NewNoncompliance{Kind: trajectory.NCKind(r.PostFormValue("kind")), Note: r.PostFormValue("note")})
	return err
}

func trajPostStep(h *Handler, r *http.Request, a *opstap.Actor) error {
	f := r.PostFormValue
	s := trajectory.StepRecord{Step: trajectory.Step(f("step")), Measure: trajectory.Measure(f("measure")), Note: f("note")}
	if v := strings.TrimSpace(f("deadline")); v != "" {
		d, err := opstap.ParseDate(v)
		if err != nil {
			return opstap.FieldError("deadline", "not a valid date")
		}
		s.Deadline = d
	}
	return h.DB.RecordNoncomplianceStep(r.Context(), a, f("noncompliance_id"), s)
}

func trajPostTalk(h *Handler, r *http.Request, a *opstap.Actor) error {
	f := r.PostFormValue
	d, err := opstap.ParseDate(f("discussed_on"))
	if err != nil {
		return opstap.FieldError("discussed_on", "not a valid date")
	}
	_, err = h.DB.RecordSuspensionTalk(r.Context(), a, f("trajectory_id"), trajectory.Talk{Party: trajectory.Party(f("party")), DiscussedOn: d, Note: f("note")})
	return err
}

// portalRender shows the candidate's own page.
func (h *Handler) portalRender(w http.ResponseWriter, r *http.Request, status int, err error) error {
	return h.trajRender(w, r, status, err, "My trajectory", "trajectory_portal", h.portalTrajectories)
}

func (h *Handler) portalTrajectoryPage(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.portalRender(w, r, http.StatusOK, nil)
}

func (h *Handler) portalTrajectoryPost(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	var err error
	switch r.PathValue("op") {
	case "absence":
		err = trajPostAbsence(h, r, a, true)
	case "end":
		// The checkbox below the warning text [000 art 7].
		ce := trajectory.CandidateEnd{WarningAcknowledged: r.PostFormValue("warning_acknowledged") == "true", Note: r.PostFormValue("note")}
		err = h.DB.EndParticipation(r.Context(), a, r.PostFormValue("trajectory_id"), ce)
	default:
		return opstap.Errorf(opstap.ENOTFOUND, "page not found")
	}
	if err != nil {
		if st := httpx.Status(err); st == http.StatusForbidden || st == http.StatusNotFound {
			return err
		}
		return h.portalRender(w, r, httpx.Status(err), err)
	}
	h.redirect(w, r, "/portal/trajectory", i18n.T(httpx.Lang(r), "Saved."))
	return nil
}
