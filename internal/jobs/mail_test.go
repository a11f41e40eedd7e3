package jobs

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/candidate"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// smtpServer is a minimal SMTP server on 127.0.0.1 for the tests: it
// accepts every message, except that it answers MAIL with 451 (a temporary
// failure) while tempFail is above zero, or always when alwaysFail.
type smtpServer struct {
	ln net.Listener

	mu         sync.Mutex
	tempFail   int
	alwaysFail bool
	messages   []smtpMessage
}

type smtpMessage struct {
	From, To, Data string
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) received() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.messages...)
}

func (s *smtpServer) refuse() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.alwaysFail {
		return true
	}
	if s.tempFail > 0 {
		s.tempFail--
		return true
	}
	return false
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	_ = tp.PrintfLine("220 test ESMTP")
	var m smtpMessage
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case cmd == "EHLO" || cmd == "HELO":
			_ = tp.PrintfLine("250-test\r\n250 8BITMIME")
		case cmd == "MAIL" && s.refuse():
			_ = tp.PrintfLine("451 4.3.0 try again later")
		case cmd == "MAIL":
			m = smtpMessage{From: line}
			_ = tp.PrintfLine("250 ok")
		case cmd == "RCPT":
			if i, j := strings.Index(line, "<"), strings.LastIndex(line, ">"); i >= 0 && j > i {
				m.To = line[i+1 : j]
			}
			_ = tp.PrintfLine("250 ok")
		case cmd == "DATA":
			_ = tp.PrintfLine("354 go on")
			data, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			m.Data = string(data)
			s.mu.Lock()
			s.messages = append(s.messages, m)
			s.mu.Unlock()
			_ = tp.PrintfLine("250 queued")
		case cmd == "QUIT":
			_ = tp.PrintfLine("221 bye")
			return
		default:
			_ = tp.PrintfLine("250 ok")
		}
	}
}

// mailFixture is a candidate with a portal account and a complaints desk
// member, on a clock the test moves.
type mailFixture struct {
	db    *store.DB
	desk  *opstap.Actor
	cand  string
	clock time.Time
	mu    sync.Mutex
}

func (f *mailFixture) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock
}

func (f *mailFixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = f.clock.Add(d)
}

func newMailFixture(t *testing.T, db *store.DB) *mailFixture {
	t.Helper()
	ctx := context.Background()
	f := &mailFixture{db: db, clock: time.Now()}
	db.Now = f.now
	sys := &opstap.Actor{System: true}
	org := func(name string, kind opstap.OrgKind, cbs string) string {
		o := &account.Organisation{Name: name, Kind: kind, CBSCode: cbs}
		if err := db.CreateOrganisation(ctx, sys, o); err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	prov, almere := org("Provider", opstap.OrgProvider, ""), org("Gemeente Almere", opstap.OrgMunicipality, "0034")
	user := func(email, name, orgID string, role opstap.Role) string {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: orgID, Email: email, Name: name, Grants: []access.GrantSpec{{Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		f.desk = u.Actor(db.Now(), "127.0.0.1")
		return u.ID
	}
	self := user("lisa@example.nl", "Lisa Hendriks", almere, opstap.RoleCandidate)
	user("klachten@p.nl", "Ingrid Smit", prov, opstap.RoleComplaintsDesk)
	born, _ := opstap.ParseDate("14-02-1991")
	c, err := db.RegisterCandidate(ctx, sys, candidate.Registration{CommissionerOrgID: almere, ExternalRef: "M-1",
		Basic: candidate.Basic{FirstName: "Lisa", LastName: "Hendriks", BirthDate: born, Email: "lisa@example.nl"}})
	if err != nil {
		t.Fatal(err)
	}
	f.cand = c.ID
	if err := db.LinkCandidateUser(ctx, sys, c.ID, self); err != nil {
		t.Fatal(err)
	}
	return f
}

// fileComplaint files a complaint for the candidate, which notifies them.
func (f *mailFixture) fileComplaint(t *testing.T) {
	t.Helper()
	_, err := f.db.FileComplaint(context.Background(), f.desk, f.cand, complaint.New{Channel: complaint.ChannelLetter,
		Subject: "Bejegening door coach", Description: "Geheime klachttekst over het re-integratieverslag."})
	if err != nil {
		t.Fatal(err)
	}
}

func testMailConfig(s *smtpServer) MailConfig {
	return MailConfig{Addr: s.ln.Addr().String(), From: "noreply@opstap.example", BaseURL: "https://opstap.example", MaxAttempts: 3, Backoff: time.Minute, Timeout: 5 * time.Second}
}

func outboxState(t *testing.T, db *store.DB) (attempts int, sent, failed bool) {
	t.Helper()
	var s, fl int
	if err := db.SQL.QueryRow(`SELECT attempts, CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END, CASE WHEN failed_at IS NULL THEN 0 ELSE 1 END FROM email_outbox`).Scan(&attempts, &s, &fl); err != nil {
		t.Fatal(err)
	}
	return attempts, s == 1, fl == 1
}

func TestMailDeliveryIsNeutral(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := startSMTP(t)
		f := newMailFixture(t, db)
		f.fileComplaint(t)
		m := newMailer(db, testLogger(t), testMailConfig(srv))
		sent, failed, err := m.sendPending(context.Background())
		if err != nil || sent != 1 || failed != 0 {
			t.Fatalf("sent %d failed %d: %v", sent, failed, err)
		}
		msgs := srv.received()
		if len(msgs) != 1 || msgs[0].To != "lisa@example.nl" {
			t.Fatalf("messages %+v", msgs)
		}
		hdr, body, _ := strings.Cut(msgs[0].Data, "\n\n")
		plain, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
		if err != nil {
			t.Fatal(err)
		}
		subject := ""
		for _, l := range strings.Split(hdr, "\n") {
			if v, ok := strings.CutPrefix(l, "Subject: "); ok {
				subject, _ = new(mime.WordDecoder).DecodeHeader(v)
			}
		}
		text := subject + "\n" + string(plain)
		for _, want := range []string{"Er is nieuws over uw klacht in Opstap.", "https://opstap.example/portal/complaints"} {
			if !strings.Contains(text, want) {
				t.Errorf("message lacks %q:\n%s", want, text)
			}
		}
		// No name, no complaint text: an e-mail never carries personal or
		// dossier data (DOMAIN.md §4).
		for _, secret := range []string{"Lisa", "Hendriks", "Geheime", "klachttekst", "Bejegening", "Ingrid"} {
			if strings.Contains(msgs[0].Data, secret) || strings.Contains(text, secret) {
				t.Errorf("message contains %q", secret)
			}
		}
		if n, ok, fl := outboxState(t, db); n != 1 || !ok || fl {
			t.Fatalf("outbox attempts %d sent %v failed %v", n, ok, fl)
		}
		// Sent once only.
		if sent, _, _ := m.sendPending(context.Background()); sent != 0 {
			t.Fatal("sent twice")
		}
	})
}

func TestMailRetriesAfterTemporaryFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := startSMTP(t)
		srv.tempFail = 1
		f := newMailFixture(t, db)
		f.fileComplaint(t)
		m := newMailer(db, testLogger(t), testMailConfig(srv))
		steps := []struct {
			name                string
			advance             time.Duration
			sent, failed, tries int
			delivered, gaveUp   bool
		}{
			{"451 on the first attempt", 0, 0, 1, 1, false, false},
			{"not due before the backoff", 30 * time.Second, 0, 0, 1, false, false},
			{"delivered on the retry", time.Minute, 1, 0, 2, true, false},
		}
		for _, s := range steps {
			f.advance(s.advance)
			sent, failed, err := m.sendPending(ctx)
			if err != nil || sent != s.sent || failed != s.failed {
				t.Fatalf("%s: sent %d failed %d: %v", s.name, sent, failed, err)
			}
			if n, ok, fl := outboxState(t, db); n != s.tries || ok != s.delivered || fl != s.gaveUp {
				t.Fatalf("%s: attempts %d sent %v failed %v", s.name, n, ok, fl)
			}
		}
		if len(srv.received()) != 1 {
			t.Fatalf("delivered %d", len(srv.received()))
		}
	})
}

func TestMailGivesUpAfterMaxAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := startSMTP(t)
		srv.alwaysFail = true
		f := newMailFixture(t, db)
		f.fileComplaint(t)
		cfg := testMailConfig(srv)
		m := newMailer(db, testLogger(t), cfg)
		// Backoff doubles: 1, 2 minutes; the third failure gives up.
		for i, wait := range []time.Duration{0, time.Minute, 2 * time.Minute} {
			f.advance(wait)
			if _, failed, err := m.sendPending(ctx); err != nil || failed != 1 {
				t.Fatalf("attempt %d: failed %d: %v", i+1, failed, err)
			}
		}
		if n, ok, fl := outboxState(t, db); n != cfg.MaxAttempts || ok || !fl {
			t.Fatalf("attempts %d sent %v failed %v", n, ok, fl)
		}
		f.advance(24 * time.Hour)
		if sent, failed, _ := m.sendPending(ctx); sent+failed != 0 {
			t.Fatal("a given-up message was tried again")
		}
		var lastErr string
		_ = db.SQL.QueryRow(`SELECT last_error FROM email_outbox`).Scan(&lastErr)
		if !strings.Contains(lastErr, "451") {
			t.Fatalf("last error %q", lastErr)
		}
	})
}

func TestMailBackoffDoubles(t *testing.T) {
	c := MailConfig{}.withDefaults()
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 4: 8 * time.Minute, 20: maxMailBackoff} {
		if got := c.backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestMailJobRunsAfterInsert: a transaction that queues e-mail enqueues the
// sender, which delivers without waiting for the periodic run.
func TestMailJobRunsAfterInsert(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := startSMTP(t)
		f := newMailFixture(t, db)
		r, err := Start(ctx, db, testLogger(t), Options{Mail: testMailConfig(srv), testOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Stop(ctx) })
		f.fileComplaint(t)
		deadline := time.Now().Add(15 * time.Second)
		for len(srv.received()) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("no e-mail within 15 s of the insert")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM river_job WHERE kind = ?`, "mail"); n < 1 {
			t.Fatalf("mail jobs %d", n)
		}
	})
}
