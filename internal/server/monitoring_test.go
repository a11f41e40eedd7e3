package server_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// metricName finds the metric names in a PromQL expression: Opstap's own,
// Go's runtime and database pool, and the process's.
var metricName = regexp.MustCompile(`\b(?:opstap|go|process)_[a-z0-9_]+\b`)

// TestMonitoringFilesMatchMetrics: the alert rules and the Grafana
// dashboard in deploy/ name only metrics a server exposes, so that no alert
// silently never fires; each rule has a severity and a summary, and the
// daily jobs and the e-mail outbox show up in /metrics.
func TestMonitoringFilesMatchMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// A scheduled job and a pending e-mail, as a running server has.
		now := time.Now().UTC()
		if _, err := db.SQL.Exec(rebind(db, `INSERT INTO job_schedule (name, next_due_at, last_run_at) VALUES ('retention', ?, ?)`), now.Add(time.Hour), now.Add(-23*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.Exec(rebind(db, `INSERT INTO email_outbox (id, to_address, kind, created_at) VALUES ('m1', 'x@example.nl', 'report_shared', ?)`), now); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, db, func(s *server.Server) { s.MetricsToken = testMetricsToken })
		b := e.browser()
		b.login("coach@demo.opstap.nl")
		resp, body := b.do("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + testMetricsToken})
		if resp.StatusCode != 200 {
			t.Fatalf("/metrics: %d", resp.StatusCode)
		}
		exposed := map[string]bool{}
		for _, line := range strings.Split(body, "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			exposed[strings.FieldsFunc(line, func(r rune) bool { return r == '{' || r == ' ' })[0]] = true
		}
		for _, name := range []string{"opstap_job_next_due_timestamp_seconds", "opstap_job_last_run_timestamp_seconds",
			"opstap_email_outbox_pending", "opstap_email_outbox_oldest_pending_timestamp_seconds", "go_sql_in_use_connections"} {
			if !exposed[name] {
				t.Errorf("/metrics lacks %s", name)
			}
		}
		if !strings.Contains(body, `opstap_job_next_due_timestamp_seconds{name="retention"}`) || strings.Contains(body, "opstap_email_outbox_pending 0\n") {
			t.Errorf("job or outbox gauges wrong:\n%s", grepLines(body, "opstap_job", "opstap_email"))
		}

		check := func(where, expr string) {
			if strings.TrimSpace(expr) == "" {
				t.Errorf("%s: empty expression", where)
			}
			for _, m := range metricName.FindAllString(expr, -1) {
				if !exposed[m] {
					t.Errorf("%s names %s, which Opstap does not expose", where, m)
				}
			}
		}
		var rules struct {
			Groups []struct {
				Rules []struct {
					Alert       string
					Expr        string
					Labels      map[string]string
					Annotations map[string]string
				}
			}
		}
		raw, err := os.ReadFile("../../deploy/prometheus/opstap-alerts.yml")
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(raw, &rules); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, g := range rules.Groups {
			for _, r := range g.Rules {
				n++
				check("alert "+r.Alert, r.Expr)
				if sev := r.Labels["severity"]; r.Alert == "" || (sev != "page" && sev != "ticket") || r.Annotations["summary"] == "" {
					t.Errorf("rule %q: needs a name, severity page or ticket, and a summary", r.Alert)
				}
			}
		}
		var dash struct {
			Panels []struct {
				ID      int
				Title   string
				Targets []struct{ Expr string }
			}
		}
		raw, err = os.ReadFile("../../deploy/grafana/opstap-dashboard.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &dash); err != nil {
			t.Fatal(err)
		}
		ids := map[int]bool{}
		for _, p := range dash.Panels {
			if ids[p.ID] || len(p.Targets) == 0 {
				t.Errorf("panel %q: duplicate id or no query", p.Title)
			}
			ids[p.ID] = true
			for _, q := range p.Targets {
				check("panel "+p.Title, q.Expr)
			}
		}
		if n < 5 || len(dash.Panels) < 5 {
			t.Fatalf("%d rules and %d panels read: the files were not understood", n, len(dash.Panels))
		}
	})
}

func rebind(db *store.DB, q string) string {
	if db.Dialect != store.Postgres {
		return q
	}
	for i := 1; strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", "$"+string(rune('0'+i)), 1)
	}
	return q
}

func grepLines(s string, prefixes ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, p := range prefixes {
			if strings.HasPrefix(l, p) {
				out = append(out, l)
			}
		}
	}
	return strings.Join(out, "\n")
}
