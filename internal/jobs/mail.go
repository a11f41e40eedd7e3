package jobs

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

// MailInterval is how often the sender looks for queued e-mail besides
// being enqueued by every transaction that queues some.
const MailInterval = time.Minute

// Defaults of MailConfig.
const (
	DefaultMailAttempts = 8                // 1+2+4+…+64 minutes: about two hours of retries
	DefaultMailBackoff  = time.Minute      // the first retry's delay; it doubles each time
	maxMailBackoff      = 6 * time.Hour    // no retry waits longer
	defaultMailTimeout  = 30 * time.Second // per SMTP conversation
	mailBatch           = 20               // messages claimed at once
)

// MailConfig configures the e-mail sender. E-mails carry a neutral line
// per notification kind and a link, never personal or dossier data.
type MailConfig struct {
	// Addr is the SMTP server, host:port; empty sends nothing and leaves
	// the outbox queued.
	Addr     string
	From     string
	Username string
	Password string
	// BaseURL makes the notifications' paths absolute, e.g.
	// https://opstap.example.nl.
	BaseURL string
	// MaxAttempts is how many attempts a message gets before it is given
	// up (failed_at); 0 means DefaultMailAttempts.
	MaxAttempts int
	// Backoff is the delay before the first retry, doubling after each
	// further failure; 0 means DefaultMailBackoff.
	Backoff time.Duration
	// Timeout bounds one SMTP conversation; 0 means 30 seconds.
	Timeout time.Duration
}

func (c MailConfig) withDefaults() MailConfig {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMailAttempts
	}
	if c.Backoff <= 0 {
		c.Backoff = DefaultMailBackoff
	}
	if c.Timeout <= 0 {
		c.Timeout = defaultMailTimeout
	}
	if c.From == "" {
		host := "localhost"
		if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		c.From = "noreply@" + host
	}
	return c
}

// backoff is the delay after the n-th failed attempt (n ≥ 1).
func (c MailConfig) backoff(n int) time.Duration {
	d := c.Backoff
	for i := 1; i < n && d < maxMailBackoff; i++ {
		d *= 2
	}
	return min(d, maxMailBackoff)
}

// MailArgs is the sender job: it sends the due messages of the e-mail
// outbox. It runs every MailInterval and is enqueued by each transaction
// that queues e-mail (store.DB.OnOutbox).
type MailArgs struct{}

// Kind names the job in River's tables.
func (MailArgs) Kind() string { return "mail" }

// InsertOpts: the outbox keeps its own retry schedule, so River need not
// retry for long. The job is deliberately not unique: River's uniqueness
// counts running jobs, so a notice committed while a run is under way
// would be dropped and wait for the next periodic run. Runs are cheap when
// nothing is due, and the outbox's claims keep concurrent runs from
// sending a message twice.
func (MailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// mailPeriodicJob runs the sender every interval and at start.
func mailPeriodicJob(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return MailArgs{}, nil },
		&river.PeriodicJobOpts{ID: MailArgs{}.Kind(), RunOnStart: true})
}

// hookMail makes every transaction that queues e-mail enqueue the sender.
func hookMail(db *store.DB, r *Runner) {
	db.OnOutbox(func(ctx context.Context, tx *store.Tx) error {
		return r.InsertTx(ctx, tx, MailArgs{}, nil)
	})
}

type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	m *mailer
}

func (w *mailWorker) Work(ctx context.Context, _ *river.Job[MailArgs]) error {
	if w.m.cfg.Addr == "" {
		return nil // not configured: the outbox waits
	}
	sent, failed, err := w.m.sendPending(ctx)
	if sent+failed > 0 {
		// Counts only: never addresses.
		w.m.logger.InfoContext(ctx, "e-mail outbox", slog.Int("sent", sent), slog.Int("failed", failed))
	}
	return err
}

func newMailWorker(db *store.DB, logger *slog.Logger, cfg MailConfig) *mailWorker {
	return &mailWorker{m: newMailer(db, logger, cfg)}
}

// mailer sends the outbox.
type mailer struct {
	db     *store.DB
	logger *slog.Logger
	cfg    MailConfig
	send   func(ctx context.Context, to string, msg []byte) error
}

func newMailer(db *store.DB, logger *slog.Logger, cfg MailConfig) *mailer {
	m := &mailer{db: db, logger: logger, cfg: cfg.withDefaults()}
	m.send = m.smtpSend
	return m
}

// sendPending sends what is due, a batch at a time, until a batch comes
// back short. A failed message is retried later with exponential backoff
// and given up after MaxAttempts, or at once when the server refuses it
// for good (5xx).
func (m *mailer) sendPending(ctx context.Context) (sent, failed int, err error) {
	lease := m.cfg.Timeout * (mailBatch + 1)
	for {
		batch, err := m.db.ClaimMail(ctx, mailBatch, lease)
		if err != nil {
			return sent, failed, err
		}
		for _, ml := range batch {
			serr := m.send(ctx, ml.To, m.compose(ml))
			if serr == nil {
				sent++
				err = m.db.MailSent(ctx, ml.ID)
			} else {
				failed++
				n := ml.Attempts + 1
				err = m.db.MailFailed(ctx, ml.ID, serr.Error(), m.db.Now().Add(m.cfg.backoff(n)), n >= m.cfg.MaxAttempts || permanent(serr))
			}
			if err != nil {
				return sent, failed, err
			}
		}
		if len(batch) < mailBatch {
			return sent, failed, nil
		}
	}
}

// permanent reports whether the server refused for good.
func permanent(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500
}

// compose writes the message: the neutral line of its kind in the
// recipient's language, as subject and first line, and the link. Nothing
// else — no name, no dossier data — goes in (DOMAIN.md §4).
func (m *mailer) compose(ml store.OutboxMail) []byte {
	line := i18n.T(ml.Language, store.NoticeText(ml.Kind))
	var b bytes.Buffer
	for _, h := range [][2]string{
		{"From", m.cfg.From},
		{"To", ml.To},
		{"Subject", mime.QEncoding.Encode("utf-8", line)},
		{"Date", m.db.Now().In(time.UTC).Format(time.RFC1123Z)},
		{"Message-ID", "<" + ml.ID + "@opstap>"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
		{"Auto-Submitted", "auto-generated"},
	} {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], headerSafe(h[1]))
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := line + "\r\n\r\n" + i18n.T(ml.Language, "Sign in to read it:") + "\r\n" + m.absolute(ml.Link) + "\r\n\r\n" +
		i18n.T(ml.Language, "This e-mail contains no personal data. You receive it because you have an account in Opstap.") + "\r\n"
	_, _ = qp.Write([]byte(body))
	_ = qp.Close()
	return b.Bytes()
}

// headerSafe keeps a header value on its line.
func headerSafe(s string) string {
	return strings.NewReplacer("\r", "", "\n", "").Replace(s)
}

// absolute joins the base URL and a path.
func (m *mailer) absolute(link string) string {
	if m.cfg.BaseURL == "" {
		return link
	}
	u, err := url.Parse(strings.TrimRight(m.cfg.BaseURL, "/") + link)
	if err != nil {
		return link
	}
	return u.String()
}

// smtpSend delivers one message over SMTP, with STARTTLS when the server
// offers it; credentials are only sent over TLS (or to localhost).
func (m *mailer) smtpSend(ctx context.Context, to string, msg []byte) error {
	host, _, err := net.SplitHostPort(m.cfg.Addr)
	if err != nil {
		return err
	}
	d := net.Dialer{Timeout: m.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", m.cfg.Addr)
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Now().Add(m.cfg.Timeout))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := m.smtpSession(c, host, to, msg); err != nil {
		return err
	}
	return c.Quit()
}

func (m *mailer) smtpSession(c *smtp.Client, host, to string, msg []byte) error {
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if m.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	return w.Close()
}
