package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestAuditLogPages (issue 12 item 12): the auditor's log shows 200
// entries a page and links to the next, keeping the filter; the next page
// starts after the last entry shown; a candidate is found by client
// number; a bad page or an unknown number is refused on its field.
func TestAuditLogPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// More entries than one page holds, as any working day gives.
		more := make([]audit.Entry, 250)
		for i := range more {
			more[i] = audit.Entry{Event: audit.EventLogin, Outcome: audit.OutcomeAllowed, Purpose: "test"}
		}
		if err := db.AppendAudit(context.Background(), more...); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, db)
		auditor := e.browser()
		auditor.login("auditor@demo.opstap.nl")
		seqs := func(body string) []int {
			var out []int
			for _, m := range regexp.MustCompile(`<tr><td>(\d+)</td>`).FindAllStringSubmatch(body, -1) {
				n, _ := strconv.Atoi(m[1])
				out = append(out, n)
			}
			return out
		}
		resp, body := auditor.do("GET", "/audit", nil, nil)
		first := seqs(body)
		next := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(body)
		if resp.StatusCode != 200 || len(first) != 200 || next == nil {
			t.Fatalf("first page: %d, %d entries, next link %v", resp.StatusCode, len(first), next)
		}
		resp, body = auditor.do("GET", strings.ReplaceAll(next[1], "&amp;", "&"), nil, nil)
		second := seqs(body)
		if resp.StatusCode != 200 || len(second) == 0 || second[0] <= first[len(first)-1] {
			t.Fatalf("second page: %d, starts at %v after %d", resp.StatusCode, second, first[len(first)-1])
		}

		var id, number string
		if err := db.SQL.QueryRow(`SELECT id, client_number FROM candidates WHERE external_ref = 'ALM-0001'`).Scan(&id, &number); err != nil {
			t.Fatal(err)
		}
		resp, body = auditor.do("GET", "/audit?candidate="+number, nil, nil)
		if resp.StatusCode != 200 || len(seqs(body)) == 0 || !strings.Contains(body, id) {
			t.Fatalf("by client number: %d, %d entries", resp.StatusCode, len(seqs(body)))
		}
		for _, c := range []struct{ query, msg string }{
			{"after=x", "geen volgnummer van een regel"},
			{"candidate=99999999", "geen kandidaat met dit cliëntnummer"},
		} {
			resp, body := auditor.do("GET", "/audit?"+c.query, nil, nil)
			if resp.StatusCode < http.StatusBadRequest || resp.StatusCode >= 500 || !strings.Contains(body, c.msg) {
				t.Errorf("%s: %d, want a refusal saying %q", c.query, resp.StatusCode, c.msg)
			}
		}
	})
}
