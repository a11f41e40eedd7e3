package store

import (
	"context"
	"slices"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/candidate"
)

// Lists that scale (issue 12 item 12): every list of staff pages the same
// way. The caller asks for an order among the list's own, an offset and a
// limit (Paging); loadPage counts the matching rows, selects the ids of
// one page in that order (pageIDs), loads those rows as the list's loader
// always did, and puts them back in the page's order (inOrder). Access
// decisions and audit entries then concern only the rows on the page.
// Migration 00038 indexes what the pages filter and order on.

// The sizes of a page: DefaultLimit when no limit is asked, at most
// MaxLimit.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Paging asks for one page of a list.
type Paging struct {
	// Sort is one of the list's orders; "" is its default.
	Sort string
	// Offset skips as many rows; Limit shows at most as many (0: the
	// default).
	Offset, Limit int
}

// Page is where a page lies in its list: Total rows match the filter, the
// page starts after Offset of them and holds at most Limit.
type Page struct {
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// The names of the orders lists offer; each list takes some: newest or
// oldest first, by reference (candidates), overdue first and then by the
// next deadline (the complaints desk's and the privacy officer's queues),
// by start or first working day, by title.
const (
	SortNewest, SortOldest, SortReference = "newest", "oldest", "reference"
	SortQueue, SortStart, SortTitle       = "queue", "start", "title"
)

// The status filters of the complaints desk's and the privacy officer's
// queues.
const (
	ListOpen    = "open"
	ListOverdue = "overdue"
	ListClosed  = "closed"
	ListAll     = "all"
)

// ListStatuses are the status filters of the queues, in the order a form offers them.
var ListStatuses = []string{ListOpen, ListOverdue, ListClosed, ListAll}

// queue is the SQL of a queue's rows: whether one is open, its next
// deadline, its date of receipt, its id, its candidate's id and the table.
// Open and past its deadline is overdue (the deadline day itself is still
// in time).
type queue struct{ open, deadline, received, id, candidate, from string }

func (q queue) overdue() string { return "(" + q.open + " AND " + q.deadline + " < ?)" }

// where is the condition for one of ListStatuses and, when query is set,
// the candidate with that client number.
func (q queue) where(status, query string, today opstap.Date) (string, []any, error) {
	where, args, err := q.filter(status, today)
	if err != nil || query == "" {
		return where, args, err
	}
	cond, qargs, err := clientNumberQuery(q.candidate, query)
	return where + " AND " + cond, append(args, qargs...), err
}

// list is the queue as a paged list, its orders for today.
func (q queue) list(today opstap.Date) list {
	return list{from: q.from, id: q.id, orders: q.orders(today)}
}

// filter is the condition for one of ListStatuses.
func (q queue) filter(status string, today opstap.Date) (string, []any, error) {
	switch status {
	case "", ListOpen:
		return q.open, nil, nil
	case ListOverdue:
		return q.overdue(), []any{today}, nil
	case ListClosed:
		return "NOT (" + q.open + ")", nil, nil
	case ListAll:
		return "1 = 1", nil, nil
	}
	return "", nil, opstap.FieldError("status", "not a valid value")
}

// orders are the orders of a queue: overdue first, then open, then by
// deadline (SortQueue), or by receipt.
func (q queue) orders(today opstap.Date) map[string]listOrder {
	first := listOrder{sql: "CASE WHEN " + q.overdue() + " THEN 0 WHEN " + q.open + " THEN 1 ELSE 2 END, " + q.deadline + ", " + q.received + ", " + q.id,
		args: []any{today}}
	return map[string]listOrder{"": first, SortQueue: first,
		SortNewest: {sql: q.received + " DESC, " + q.id + " DESC"}, SortOldest: {sql: q.received + ", " + q.id}}
}

// listOrder is one order of a list: SQL for ORDER BY, ending in the row's
// id so that pages neither overlap nor skip, with its arguments.
type listOrder struct {
	sql  string
	args []any
}

// checked validates p against the list's orders and fills in the default
// limit; it returns the order to use. Errors name the parameter.
func (p Paging) checked(orders map[string]listOrder) (Paging, listOrder, error) {
	o, ok := orders[p.Sort]
	switch {
	case !ok:
		return p, o, opstap.FieldError("sort", "unknown order")
	case p.Offset < 0:
		return p, o, opstap.FieldError("offset", "not a valid position in the list")
	case p.Limit < 0 || p.Limit > MaxLimit:
		return p, o, opstap.FieldError("limit", "a whole number from %d to %d is expected", 1, MaxLimit)
	case p.Limit == 0:
		p.Limit = DefaultLimit
	}
	return p, o, nil
}

// pageIDs counts the rows of from (FROM … WHERE …, with args) and returns
// the ids (column id) of the page p asks for, in the order orders names.
// (A count as a window over the same query was slower on SQLite: it
// materialises every row before sorting.)
func (tx *Tx) pageIDs(ctx context.Context, id, from string, args []any, orders map[string]listOrder, p Paging) ([]string, Page, error) {
	p, o, err := p.checked(orders)
	if err != nil {
		return nil, Page{}, err
	}
	pg := Page{Offset: p.Offset, Limit: p.Limit}
	if err := tx.queryRow(ctx, `SELECT COUNT(*) `+from, args...).Scan(&pg.Total); err != nil {
		return nil, pg, err
	}
	ids := make([]string, 0, p.Limit)
	if p.Offset >= pg.Total {
		return ids, pg, nil
	}
	all := slices.Concat(args, o.args, []any{p.Limit, p.Offset})
	err = tx.eachRow(ctx, `SELECT `+id+` `+from+` ORDER BY `+o.sql+` LIMIT ? OFFSET ?`, all, func(s scanner) error {
		var v string
		ids = append(ids, v)
		return s.Scan(&ids[len(ids)-1])
	})
	return ids, pg, err
}

// idIn is the condition "column is one of ids", with as many placeholders
// as the page's limit (the empty id matches no row), so that a list's
// query has one text whatever the page holds.
func idIn(column string, ids []string, limit int) (string, []any) {
	args := make([]any, max(limit, len(ids), 1))
	for i := range args {
		args[i] = ""
		if i < len(ids) {
			args[i] = ids[i]
		}
	}
	return column + ` IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + `)`, args
}

// inOrder puts the rows of a page back in the order of its ids.
func inOrder[T any](rows []T, ids []string, id func(T) string) []T {
	pos := make(map[string]int, len(ids))
	for i, v := range ids {
		pos[v] = i
	}
	slices.SortStableFunc(rows, func(x, y T) int { return pos[id(x)] - pos[id(y)] })
	return rows
}

// loadPage reads one page of a list: the ids of the page p asks for
// (pageIDs), then their rows through load, given the condition that
// selects them, back in the page's order.
func loadPage[T any](ctx context.Context, tx *Tx, l list, where string, args []any, p Paging, load func(where string, args []any) ([]T, error), id func(T) string) ([]T, Page, error) {
	ids, pg, err := tx.pageIDs(ctx, l.id, l.from+` WHERE `+where, args, l.orders, p)
	if err != nil {
		return nil, pg, err
	}
	in, inArgs := idIn(l.id, ids, pg.Limit)
	rows, err := load(in, inArgs)
	return inOrder(rows, ids, id), pg, err
}

// list is the SQL of a paged list: its rows (FROM and JOINs), their id
// column and the list's orders.
type list struct {
	from, id string
	orders   map[string]listOrder
}

// likeText is a LIKE pattern that finds q anywhere in a lower-cased text,
// with LIKE's own characters taken literally (ESCAPE '!').
func likeText(q string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(q))) + "%"
}

// employerNamed is the condition that the employer (a.employer_org_id) has
// a name like the argument (a likeText pattern).
const employerNamed = `a.employer_org_id IN (SELECT id FROM organisations WHERE LOWER(name) LIKE ? ESCAPE '!')`

// clientNumberQuery is the condition for a search box that finds a
// candidate by client number (column is the candidate id): names are sealed,
// and readers of these lists need not read them. Anything else is refused
// on q.
func clientNumberQuery(column, q string) (string, []any, error) {
	n, ok := candidate.ParseClientNumber(q)
	if !ok {
		return "", nil, opstap.FieldError("q", "enter a client number")
	}
	return column + ` IN (SELECT id FROM candidates WHERE client_number = ?)`, []any{n}, nil
}
