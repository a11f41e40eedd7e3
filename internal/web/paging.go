package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
)

// listView is what a paged list shows around its rows (issue 12 item 12):
// the filter form, whose values every link keeps, and the way to the
// neighbouring pages with where this page lies in the list.
type listView struct {
	Action   string   // the list's address
	Search   string   // the search box's label, translated; "" when the list has none
	Statuses []choice // the status filter; none when the list has none
	Sorts    []choice
	Page     int // 1-based
	// From–To of Total is where the page lies in the list.
	From, To, Total string
	Prev, Next      string
	keep            url.Values // the filter and order, without the page
}

// choice is one choice of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

// listSize is how many rows a page of a list shows.
const listSize = store.DefaultLimit

// newList reads the page number from q and keeps the parameters names of
// the filter form for the links; a page that is not a number from 1 is
// refused naming it.
func newList(action string, q url.Values, names ...string) (*listView, error) {
	l := &listView{Action: action, Page: 1, keep: url.Values{}}
	for _, n := range names {
		if v := q.Get(n); v != "" {
			l.keep.Set(n, v)
		}
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return l, opstap.FieldError("page", "not a page number")
		}
		l.Page = n
	}
	return l, nil
}

// paging is the store's request for this page, in order sort.
func (l *listView) paging(sort string) store.Paging {
	return store.Paging{Sort: sort, Offset: (l.Page - 1) * listSize, Limit: listSize}
}

// url is the list's address on page n, the filter kept.
func (l *listView) url(n int) string {
	v := url.Values{}
	for k, x := range l.keep {
		v[k] = x
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return l.Action
	}
	return l.Action + "?" + v.Encode()
}

// counted sets the links and the count of a page the store counted.
func (l *listView) counted(lang string, pg store.Page, shown int) {
	l.Total = thousands(lang, pg.Total)
	if shown > 0 {
		l.From, l.To = thousands(lang, pg.Offset+1), thousands(lang, pg.Offset+shown)
	}
	l.linked(pg.Offset+pg.Limit < pg.Total)
}

// linked sets the links to the neighbouring pages; more tells whether a
// next page exists.
func (l *listView) linked(more bool) {
	if l.Page > 1 {
		l.Prev = l.url(l.Page - 1)
	}
	if more {
		l.Next = l.url(l.Page + 1)
	}
}

// choices are the options of a select among values, the one in q's name
// selected, each labelled by label.
func choices(q url.Values, name string, values []string, label func(string) string) []choice {
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{Value: v, Label: label(v), Selected: q.Get(name) == v}
	}
	return out
}

// thousands writes n with the language's thousands separator: 10.000 in
// Dutch, 10,000 in English.
func thousands(lang string, n int) string {
	s := strconv.Itoa(n)
	sep := "."
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// renderList renders a list page. A bad filter, order or page (an error
// naming its parameter) is a bad request, as in the API: the page shows
// the message beside its field and no rows; any other error is returned,
// for the error page.
func (h *Handler) renderList(w http.ResponseWriter, r *http.Request, p *page, name string, err error) error {
	status := http.StatusOK
	if e := opstap.AsError(err); e != nil && e.Field != "" && (e.Code == opstap.EINVALID || e.Code == opstap.EBADREQUEST) {
		p.setError(err)
		status, err = http.StatusBadRequest, nil
	}
	if err != nil {
		return err
	}
	return h.render(w, r, status, name, p)
}

// rowsOf reads the rows of a list's page through load, unless err already
// refuses the request, and sets the page's count and links.
func rowsOf[T any](l *listView, lang string, err error, load func() ([]T, store.Page, error)) ([]T, error) {
	var rows []T
	var pg store.Page
	if err == nil {
		rows, pg, err = load()
	}
	l.counted(lang, pg, len(rows))
	return rows, err
}

// withAll puts the choice of every status (an empty status) before opts.
func withAll(p *page, q url.Values, opts []choice) []choice {
	return append([]choice{{Label: p.T("All statuses"), Selected: q.Get("status") == ""}}, opts...)
}

// codes are a list of codes as strings, for choices.
func codes[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
