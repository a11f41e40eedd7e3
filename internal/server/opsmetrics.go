package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opstap/opstap/internal/store"
)

// opsCollector exposes what operations alerts on besides requests: the
// daily jobs' schedule (a job that stops running leaves retention and the
// access review undone without any request failing) and the e-mail
// outbox's backlog. It reads the database at each scrape, bounded by a
// short timeout; a failed read reports nothing rather than stale values.
type opsCollector struct {
	db                               *store.DB
	jobLast, jobNext                 *prometheus.Desc
	mailPending, mailFailed, mailOld *prometheus.Desc
}

func newOpsCollector(db *store.DB) *opsCollector {
	return &opsCollector{
		db:          db,
		jobLast:     prometheus.NewDesc("opstap_job_last_run_timestamp_seconds", "When a daily job last ran (Unix time); absent before its first run.", []string{"name"}, nil),
		jobNext:     prometheus.NewDesc("opstap_job_next_due_timestamp_seconds", "When a daily job is next due (Unix time).", []string{"name"}, nil),
		mailPending: prometheus.NewDesc("opstap_email_outbox_pending", "E-mails queued and not yet sent.", nil, nil),
		mailFailed:  prometheus.NewDesc("opstap_email_outbox_failed", "E-mails given up after their retries.", nil, nil),
		mailOld:     prometheus.NewDesc("opstap_email_outbox_oldest_pending_timestamp_seconds", "When the oldest pending e-mail was queued (Unix time); absent when none is.", nil, nil),
	}
}

func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.jobLast, c.jobNext, c.mailPending, c.mailFailed, c.mailOld} {
		ch <- d
	}
}

func (c *opsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	g, err := c.db.OpsGauges(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.mailPending, err)
		return
	}
	unix := func(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
	for _, j := range g.Jobs {
		ch <- prometheus.MustNewConstMetric(c.jobNext, prometheus.GaugeValue, unix(j.NextDue), j.Name)
		if !j.LastRun.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.jobLast, prometheus.GaugeValue, unix(j.LastRun), j.Name)
		}
	}
	ch <- prometheus.MustNewConstMetric(c.mailPending, prometheus.GaugeValue, float64(g.MailPending))
	ch <- prometheus.MustNewConstMetric(c.mailFailed, prometheus.GaugeValue, float64(g.MailFailed))
	if !g.OldestPending.IsZero() {
		ch <- prometheus.MustNewConstMetric(c.mailOld, prometheus.GaugeValue, unix(g.OldestPending))
	}
}
