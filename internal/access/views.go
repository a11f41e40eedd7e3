package access

import "github.com/opstap/opstap"

// View is how much of a category a decision lets the actor see. Most
// cells of the policy show the whole category; a few show only a part,
// and the code that reads the data must cut it down to that part.
type View string

// The views.
const (
	// ViewAll is the whole category.
	ViewAll View = ""
	// ViewPlacement is only what a placement needs: the candidate's name and
	// how to reach them about the work, the work-relevant limitations they
	// agreed to share, and on a proposal the card of flex.ProposalCard
	// (experience by occupation, hours, days, start) — never the birth date, address, the commissioner's
	// client number, the coach or the staff who wrote something
	// [003 art 7.7 lid 2, 002 art 5.1].
	ViewPlacement View = "placement"
	// ViewShared is only the reports shared with the commissioner, each
	// with the candidate's consent, never drafts [000 art 5].
	ViewShared View = "shared"
)

// ReasonLimitedView and ReasonSharedOnly are the denials of a read that
// would show more than the actor's view allows.
const (
	ReasonLimitedView = "only what the placement needs is shown to the employer"
	ReasonSharedOnly  = "you see only the documents shared with your organisation"
)

// Reason is the denial of a read of the whole category to an actor whose
// view is v.
func (v View) Reason() string {
	if v == ViewShared {
		return ReasonSharedOnly
	}
	return ReasonLimitedView
}

// Shows reports whether d allows reading the whole category or the part v.
func (d Decision) Shows(v View) bool { return d.Allowed && (d.View == ViewAll || d.View == v) }

// views lists the cells of the policy that allow less than the whole
// category. A cell not listed shows everything its level allows.
var views = map[cell]View{
	{opstap.RoleEmployer, RelationOwnPlacement, basic}:         ViewPlacement,
	{opstap.RoleEmployer, RelationOwnPlacement, education}:     ViewPlacement,
	{opstap.RoleEmployer, RelationOwnPlacement, preferences}:   ViewPlacement,
	{opstap.RoleEmployer, RelationOwnPlacement, limitations}:   ViewPlacement,
	{opstap.RoleCaseManager, RelationOwnOrganisation, reports}: ViewShared,
}
