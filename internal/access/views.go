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
	// agreed to share — never the birth date, address, the commissioner's
	// client number, the coach or the staff who wrote something
	// [003 art 7.7 lid 2, 002 art 5.1].
	ViewPlacement View = "placement"
)

// ReasonLimitedView is the denial of a read that would show more than the
// actor's view allows.
const ReasonLimitedView = "only what the placement needs is shown to the employer"

// views lists the cells of the policy that allow less than the whole
// category. A cell not listed shows everything its level allows.
var views = map[cell]View{
	{opstap.RoleEmployer, RelationOwnPlacement, basic}:       ViewPlacement,
	{opstap.RoleEmployer, RelationOwnPlacement, limitations}: ViewPlacement,
}
