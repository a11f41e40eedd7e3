package web

import (
	"net/http"
	"sort"

	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
)

// An irreversible act — ending a trajectory, erasing by retention now,
// declining or withdrawing a proposal, ending a placement early — is asked
// twice (issue 12 item 8): the first post shows what will happen, with the
// same form (its fields kept) and a button that confirms. It works without
// JavaScript; the API, whose callers state what they mean, is not asked.

// confirmField is a posted field carried through the confirmation.
type confirmField struct{ Name, Value string }

type confirmData struct {
	Action      string
	Fields      []confirmField
	Consequence string
	Button      string
	Back        string
}

// confirmFirst shows the confirmation page unless the form says it was
// confirmed; it reports whether it did (the caller then stops, returning
// err, the error of showing it).
func (h *Handler) confirmFirst(w http.ResponseWriter, r *http.Request, title, consequence, button, back string) (shown bool, err error) {
	if r.PostFormValue("confirmed") == "1" {
		return false, nil
	}
	lang := httpx.Lang(r)
	d := confirmData{Action: r.URL.Path, Consequence: i18n.T(lang, consequence), Button: i18n.T(lang, button), Back: back}
	names := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range r.PostForm[k] {
			d.Fields = append(d.Fields, confirmField{k, v})
		}
	}
	p := h.newPage(r, title)
	p.Data = d
	return true, h.render(w, r, http.StatusOK, "confirm", p)
}

// What each confirmation says will happen.
const (
	msgConfirmEndTrajectory = "The trajectory ends for good, with the reason you chose: no appointments or reports can be added to it, and the commissioner sees the end and its reason."
	msgConfirmRetention     = "Every candidate whose retention period has passed is erased now: their data keys are destroyed, and their data can never be read again. The dry run shows who they are."
	msgConfirmDecline       = "You decline this proposal: the placement does not go ahead, and the others involved are told. Only a new proposal can bring it back."
	msgConfirmWithdraw      = "The proposal is withdrawn: the candidate and the employer are told, and their answers no longer count."
	msgConfirmEndPlacement  = "The placement ends on the day you gave: no hours can be entered after that day, and the end counts in the figures."
)
