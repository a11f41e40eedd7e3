package api

import (
	"errors"
	"math"
	"net/http"
	"slices"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

// listParams are the query parameters of every paged list operation
// (issue 12 item 12), as the OpenAPI fragments document them.
var listParams = []string{"limit", "offset", "sort", "status", "q"}

// listPaging reads limit (1 to store.MaxLimit, default store.DefaultLimit),
// offset (from 0) and sort; a bad number is refused naming it.
func listPaging(r *http.Request) (store.Paging, error) {
	limit, lerr := httpx.QueryInt(r, "limit", store.DefaultLimit, 1, store.MaxLimit)
	offset, oerr := httpx.QueryInt(r, "offset", 0, 0, math.MaxInt32)
	return store.Paging{Sort: r.URL.Query().Get("sort"), Offset: offset, Limit: limit}, errors.Join(lerr, oerr)
}

// writePage answers a list operation with one page of rows under name and
// where the page lies in the list ("paging": total, offset, limit). The
// store's refusal of a list parameter (an unknown order or status, a
// search it cannot do) is a bad request naming the parameter, as other bad
// query parameters are.
func writePage[T any](w http.ResponseWriter, name string, rows []T, pg store.Page, err error) error {
	if e := opstap.AsError(err); e != nil && e.Code == opstap.EINVALID && slices.Contains(listParams, e.Field) {
		bad := *e
		bad.Code = opstap.EBADREQUEST
		return &bad
	} else if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{name: nonNil(rows), "paging": pg})
	return nil
}
