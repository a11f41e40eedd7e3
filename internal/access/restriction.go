package access

import "github.com/opstap/opstap"

// Procedure is a process with a rule of its own beside the category
// matrix: complaints, rights requests and legal claims.
type Procedure string

// The procedures a restriction of processing leaves running.
const (
	ProcComplaint   Procedure = "complaint"    // the candidate's own complaint [000 art 12]
	ProcRights      Procedure = "rights"       // the candidate's own rights request [002 art 7]
	ProcLegalClaims Procedure = "legal_claims" // establishing, exercising or defending legal claims (legal hold)
)

// procRule lets role go up to level with a procedure while the candidate's
// restriction of processing is in force.
type procRule struct {
	role  opstap.Role
	proc  Procedure
	level level
}

// whileRestrictedProcedures is what a restriction of processing still
// allows besides storage [AVG art 18(2); 002 art 7.3]: processing with the
// data subject's consent — the candidate's own complaints and rights
// requests, which they started themselves, handled by the complaints desk
// and the privacy officer who identify the candidate by their basic data
// to do so — and processing for legal claims (the privacy officer's legal
// hold). The category cap whileRestricted (policy.go) keeps everything
// else to storage: no guidance, reports, matching or placements.
// docs/security.md "Restriction of processing" says the same.
var whileRestrictedProcedures = []procRule{
	{opstap.RoleCandidate, ProcComplaint, levelWrite},
	{opstap.RoleCandidate, ProcRights, levelWrite},
	{opstap.RoleCoach, ProcRights, levelWrite}, // files the request the candidate brought to them [001]
	{opstap.RoleComplaintsDesk, ProcComplaint, levelWrite},
	{opstap.RolePrivacyOfficer, ProcComplaint, levelRead},
	{opstap.RolePrivacyOfficer, ProcRights, levelWrite},
	{opstap.RolePrivacyOfficer, ProcLegalClaims, levelWrite},
}

type roleProc struct {
	role opstap.Role
	proc Procedure
}

var restrictedProcLevels = func() map[roleProc]level {
	m := map[roleProc]level{}
	for _, r := range whileRestrictedProcedures {
		k := roleProc{r.role, r.proc}
		if _, dup := m[k]; dup {
			panic("access: duplicate restricted procedure " + string(r.role) + "/" + string(r.proc))
		}
		m[k] = r.level
	}
	return m
}()

// RestrictionAllows reports whether role may still act in procedure p
// while the candidate's restriction of processing is in force.
func RestrictionAllows(role opstap.Role, p Procedure, act opstap.Action) bool {
	return restrictedProcLevels[roleProc{role, p}] >= need(act)
}

// DecideIdentify decides reading a candidate's basic data to identify them
// within procedure p: as Decide, except that under a restriction of
// processing the roles of whileRestrictedProcedures still identify the
// candidate for that procedure.
func DecideIdentify(a *opstap.Actor, s Subject, p Procedure) Decision {
	d := Decide(a, s, opstap.CatBasic, opstap.Read, "")
	if d.Allowed || !s.Restricted {
		return d
	}
	// Only what the policy allows without the restriction (no break the
	// glass, no other role) can be let through by it.
	free := s
	free.Restricted = false
	if u := Decide(a, free, opstap.CatBasic, opstap.Read, ""); u.Allowed && !u.BreakGlass && RestrictionAllows(u.Role, p, opstap.Read) {
		return u
	}
	return d
}
