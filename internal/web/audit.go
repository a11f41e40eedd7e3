package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

type auditData struct {
	Entries []audit.Entry
	Verify  string
	Broken  bool
	// Next is the address of the following page, "" on the last
	// (issue 12 item 12: the log pages by sequence, the filter kept).
	Next string
}

// auditPage is how many entries a page of the log shows.
const auditPage = 200

// parseAuditFilter reads the filter form; dates are whole days in Amsterdam.
func parseAuditFilter(r *http.Request) (store.AuditFilter, error) {
	q := r.URL.Query()
	f := store.AuditFilter{ActorUserID: strings.TrimSpace(q.Get("actor")), CandidateID: strings.TrimSpace(q.Get("candidate")), Event: q.Get("event"), Limit: auditPage + 1}
	if s := q.Get("after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return f, opstap.FieldError("after", "not an entry number")
		}
		f.AfterSeq = n
	}
	for _, d := range []struct {
		field string
		dst   *time.Time
		add   int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if s := strings.TrimSpace(q.Get(d.field)); s != "" {
			t, err := time.ParseInLocation("2006-01-02", s, opstap.Amsterdam)
			if err != nil {
				return f, opstap.FieldError(d.field, "not a valid date")
			}
			*d.dst = t.AddDate(0, 0, d.add)
		}
	}
	return f, nil
}

func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Audit log")
	p.Form = r.URL.Query()
	status := http.StatusOK
	f, err := parseAuditFilter(r)
	d := auditData{}
	if err == nil && f.CandidateID != "" {
		// A client number names the candidate as staff know them.
		if _, ok := candidate.ParseClientNumber(f.CandidateID); ok {
			f.CandidateID, err = h.DB.CandidateIDByNumber(r.Context(), "candidate", f.CandidateID)
		}
	}
	if err == nil {
		d.Entries, err = h.DB.ReadAuditLog(r.Context(), a, f)
	}
	if len(d.Entries) > auditPage {
		d.Entries = d.Entries[:auditPage]
		next := r.URL.Query()
		next.Set("after", strconv.FormatInt(d.Entries[auditPage-1].Seq, 10))
		d.Next = "/audit?" + next.Encode()
	}
	if err != nil {
		if opstap.ErrorCode(err) == opstap.EFORBIDDEN {
			return err
		}
		p.setError(err)
		status = httpx.Status(err)
	}
	p.Data = d
	return h.render(w, r, status, "audit", p)
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	p := h.newPage(r, "Audit log")
	n, err := h.DB.VerifyAuditAs(r.Context(), a)
	d := auditData{}
	es, lerr := h.DB.ReadAuditLog(r.Context(), a, store.AuditFilter{Limit: 200})
	if lerr != nil {
		return lerr
	}
	d.Entries = es
	broken := audit.AsBroken(err)
	switch {
	case err == nil:
		d.Verify = i18n.N(p.Lang, "The chain of %d entries is intact.", n)
	case broken != nil:
		d.Broken = true
		d.Verify = i18n.T(p.Lang, "The chain is broken at entry %d: %s", broken.Seq, broken.Reason)
	default:
		return err
	}
	p.Data = d
	return h.render(w, r, http.StatusOK, "audit", p)
}
