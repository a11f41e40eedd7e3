package api

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/history"
	"github.com/opstap/opstap/internal/httpx"
)

func init() { routeGroups = append(routeGroups, (*Handler).historyRoutes) }

// historyRoutes: a municipality's history import (issue 10 item 3;
// docs/history-import.md).
func (h *Handler) historyRoutes() []route {
	return []route{{"POST /api/v1/figures/{municipality}/history", h.authed(h.importHistory)}}
}

// historyBody is the JSON form of a history file: its rows as records.
type historyBody struct {
	Records []history.Record `json:"records" validate:"required,items=50000"`
}

// importHistory takes the history as text/csv (the file of the web page)
// or as application/json; either is checked as a whole and stored all or
// nothing, a rejection answering 422 with every row's problem.
func (h *Handler) importHistory(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	// Who may not import learns so before their file is read.
	if !a.System && !access.Can(a, access.ImportFigureHistory) {
		return opstap.Errorf(opstap.EFORBIDDEN, "you are not allowed to do this")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "text/csv" && mt != "application/json") {
		return opstap.Errorf(opstap.EUNSUPPORTED, "send the history as text/csv or application/json")
	}
	data, err := httpx.ReadBody(w, r, history.MaxFile)
	if err != nil {
		return err
	}
	today := opstap.DateOf(h.DB.Now())
	var recs []history.Record
	if mt == "text/csv" {
		recs, err = history.ParseCSV(bytes.NewReader(data), today)
	} else {
		var body historyBody
		if err = httpx.Unmarshal(data, &body); err == nil {
			recs, err = body.Records, history.Validate(body.Records, today)
		}
	}
	if err != nil {
		if writeFileError(w, r, err) {
			return nil
		}
		return err
	}
	res, err := h.DB.ImportHistory(r.Context(), a, r.PathValue("municipality"), recs)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}
