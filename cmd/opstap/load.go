package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/store"
)

// cmdLoad: `opstap load --addr 127.0.0.1:8080 --duration 2m --rates
// 250,500,1000,2000` mixes the roles' daily journeys against a running
// `opstap serve` on a generated data set (opstap gen) at rising rates and
// reports throughput, p50/p95/p99 per journey and the errors. It opens the
// server's database (the same flags as serve) only to prepare its accounts:
// API tokens for the coaches of the sample candidates, a case manager and an
// employer with running placements to enter hours on, all expiring within
// two hours and revoked at the end. It talks to loopback addresses only.
func cmdLoad(ctx context.Context, args []string, stdout io.Writer) error {
	var o loadOptions
	var rates, only string
	return withDB(ctx, "load", args, func(fs *flag.FlagSet) {
		fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address of the server under load (loopback only)")
		fs.DurationVar(&o.duration, "duration", time.Minute, "whole run, over all rates")
		fs.StringVar(&rates, "rates", "250,500,1000,2000", "requests per second of each stage, rising")
		fs.IntVar(&o.conns, "connections", 64, "concurrent requests at most")
		fs.BoolVar(&o.failOnError, "fail-on-error", false, "exit 1 when any request failed")
		fs.StringVar(&only, "journeys", "", "only these journeys, comma-separated (e.g. \"read candidate\"); default the whole mix")
	}, func(db *store.DB) error {
		if only != "" {
			for _, name := range strings.Split(only, ",") {
				i := slices.IndexFunc(journeys, func(j journey) bool { return j.name == strings.TrimSpace(name) })
				if i < 0 {
					return usageError{fmt.Sprintf("--journeys: no journey %q", name)}
				}
				o.only = append(o.only, &journeys[i])
			}
		}
		for _, s := range strings.Split(rates, ",") {
			r, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || r <= 0 {
				return usageError{"--rates must list positive whole numbers, e.g. 250,500,1000"}
			}
			o.rates = append(o.rates, r)
		}
		if o.duration <= 0 || o.duration > time.Hour {
			return usageError{"--duration must lie between 0 and 1h"}
		}
		if o.conns < 1 || o.conns > 4096 {
			return usageError{"--connections must lie between 1 and 4096"}
		}
		base, err := loopbackBase(ctx, o.addr)
		if err != nil {
			return err
		}
		o.base = base
		fix, err := prepareLoad(ctx, db)
		if err != nil {
			return err
		}
		defer fix.cleanup(context.WithoutCancel(ctx), db)
		failed, err := runLoad(ctx, stdout, o, fix)
		if err != nil {
			return err
		}
		if o.failOnError && failed > 0 {
			return fmt.Errorf("%d requests failed", failed)
		}
		return nil
	})
}

type loadOptions struct {
	addr, base  string
	duration    time.Duration
	rates       []int
	conns       int
	failOnError bool
	only        []*journey // nil: the weighted mix
}

// loopbackBase refuses an address that is not on this machine's loopback
// interface: the tool must never load someone else's server.
func loopbackBase(ctx context.Context, addr string) (string, error) {
	if strings.Contains(addr, "://") {
		u, err := url.Parse(addr)
		if err != nil || u.Scheme != "http" {
			return "", usageError{"--addr must be host:port (plain HTTP on loopback)"}
		}
		addr = u.Host
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", usageError{"--addr must be host:port, e.g. 127.0.0.1:8080"}
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil || len(ips) == 0 {
		return "", usageError{fmt.Sprintf("--addr: cannot resolve %q", host)}
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return "", usageError{fmt.Sprintf("--addr %s is not a loopback address: the load tool only runs against this machine", addr)}
		}
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// loadFixture is what the journeys need: tokens and the ids to use.
type loadFixture struct {
	sample     *store.LoadSample
	coachToken map[string]string // coach user id → token
	caseMgr    string            // token
	employer   string            // token
	employerID string            // the employer account's e-mail
	password   string            // of the employer account
	placements []string          // running placements of the employer
	first      opstap.Date       // first day of those placements
	tokens     []*store.Token
	users      []string
}

func prepareLoad(ctx context.Context, db *store.DB) (*loadFixture, error) {
	s, err := db.LoadSampleOf(ctx, 2000)
	if err != nil {
		return nil, err
	}
	f := &loadFixture{sample: s, coachToken: map[string]string{}}
	expires := db.Now().Add(2 * time.Hour)
	token := func(userID string) (string, error) {
		plain, t, err := db.CreateToken(ctx, system, userID, "opstap load", &expires)
		if err == nil {
			f.tokens = append(f.tokens, t)
		}
		return plain, err
	}
	for _, c := range s.Candidates {
		if _, ok := f.coachToken[c.CoachID]; ok {
			continue
		}
		if f.coachToken[c.CoachID], err = token(c.CoachID); err != nil {
			return nil, err
		}
	}
	suffix := randomHex(4)
	cm, err := db.CreateUser(ctx, system, account.NewUser{OrgID: s.MunicipalityOrg, Email: "load-cm-" + suffix + "@load.opstap.test", Name: "Load case manager",
		Grants: []access.GrantSpec{{Role: opstap.RoleCaseManager, Access: opstap.Write}}})
	if err != nil {
		return nil, err
	}
	f.users = append(f.users, cm.ID)
	if f.caseMgr, err = token(cm.ID); err != nil {
		return nil, err
	}
	a := s.Assignments[0]
	f.password = randomHex(12)
	f.employerID = "load-emp-" + suffix + "@load.opstap.test"
	emp, err := db.CreateUser(ctx, system, account.NewUser{OrgID: a.EmployerID, Email: f.employerID, Name: "Load employer", Password: f.password,
		Grants: []access.GrantSpec{{Role: opstap.RoleEmployer, Access: opstap.Write}}})
	if err != nil {
		return nil, err
	}
	f.users = append(f.users, emp.ID)
	if f.employer, err = token(emp.ID); err != nil {
		return nil, err
	}
	// Running placements of the employer, a year back, to enter a new day
	// of hours on with every request.
	today := opstap.DateOf(db.Now())
	f.first = today.AddDays(-360)
	n := min(300, len(s.Candidates))
	ps := make([]store.GenPlacement, n)
	for i := range ps {
		ps[i] = store.GenPlacement{AssignmentID: a.ID, CandidateID: s.Candidates[i].ID, Municipality: s.CBS, FirstDay: f.first,
			LastDay: today.AddDays(60), HoursPerWeek: 16}
	}
	if err := db.GeneratePlacements(ctx, system, cm.ID, ps); err != nil {
		return nil, err
	}
	for _, p := range ps {
		f.placements = append(f.placements, p.ID)
	}
	return f, nil
}

// cleanup revokes the tokens and blocks the accounts the run made.
func (f *loadFixture) cleanup(ctx context.Context, db *store.DB) {
	for _, t := range f.tokens {
		_ = db.RevokeToken(ctx, system, t.ID)
	}
	for _, u := range f.users {
		_ = db.BlockUser(ctx, system, u)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// A journey is one request of a role's day; weight is its share of the mix
// in thousandths.
type journey struct {
	name   string
	weight int
	do     func(c *loadClient, k int) (*http.Request, error)
}

type loadClient struct {
	base  string
	fix   *loadFixture
	hours atomic.Int64 // next (placement, day) slot for hours
}

func (c *loadClient) req(method, path, token string, body any) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

func (c *loadClient) candidate(k int) store.LoadCandidate {
	cs := c.fix.sample.Candidates
	return cs[k%len(cs)]
}

var journeys = []journey{
	{"open dossier", 450, func(c *loadClient, k int) (*http.Request, error) {
		cand := c.candidate(k)
		return c.req("GET", "/api/v1/candidates/"+cand.ID+"/dossier/entries", c.fix.coachToken[cand.CoachID], nil)
	}},
	{"read candidate", 200, func(c *loadClient, k int) (*http.Request, error) {
		cand := c.candidate(k)
		return c.req("GET", "/api/v1/candidates/"+cand.ID, c.fix.coachToken[cand.CoachID], nil)
	}},
	{"write note", 100, func(c *loadClient, k int) (*http.Request, error) {
		cand := c.candidate(k)
		return c.req("POST", "/api/v1/candidates/"+cand.ID+"/dossier/entries", c.fix.coachToken[cand.CoachID], map[string]any{
			"kind": "conversation_note", "title": "Gesprek", "body": "Voortgang besproken; volgende afspraak gepland.",
			"occurred_on": opstap.DateOf(time.Now()).String()})
	}},
	{"register hours", 100, func(c *loadClient, _ int) (*http.Request, error) {
		slot := int(c.hours.Add(1) - 1)
		ps := c.fix.placements
		day := opstap.DateOf(time.Now()).AddDays(-(slot / len(ps)))
		if day.Before(c.fix.first) {
			return nil, fmt.Errorf("no days left to enter hours on")
		}
		return c.req("POST", "/api/v1/placements/"+ps[slot%len(ps)]+"/timesheet", c.fix.employer, map[string]any{
			"entries": []map[string]any{{"day": day.String(), "minutes": 240, "travel_km": 5}}})
	}},
	{"match", 80, func(c *loadClient, k int) (*http.Request, error) {
		as := c.fix.sample.Assignments
		return c.req("GET", "/api/v1/assignments/"+as[k%len(as)].ID+"/matches", c.fix.caseMgr, nil)
	}},
	{"home (work waiting)", 50, func(c *loadClient, k int) (*http.Request, error) {
		cand := c.candidate(k)
		return c.req("GET", "/api/v1/me/work", c.fix.coachToken[cand.CoachID], nil)
	}},
	{"dashboard", 15, func(c *loadClient, k int) (*http.Request, error) {
		m := time.Month(1 + k%12)
		start := opstap.Date{Year: 2025, Month: m, Day: 1}
		return c.req("GET", "/api/v1/figures/"+c.fix.sample.CBS+"?start="+start.String()+"&end="+start.AddMonths(1).AddDays(-1).String(), c.fix.caseMgr, nil)
	}},
	{"sign in", 5, func(c *loadClient, _ int) (*http.Request, error) {
		form := url.Values{"email": {c.fix.employerID}, "password": {c.fix.password}, "next": {"/"}}
		req, err := http.NewRequest("POST", c.base+"/login", strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return req, nil
	}},
}

// pick returns the journey of draw x in [0, 1000).
func pick(x int) *journey {
	for i := range journeys {
		if x < journeys[i].weight {
			return &journeys[i]
		}
		x -= journeys[i].weight
	}
	return &journeys[0]
}

// stageStats collects one stage's results per journey.
type stageStats struct {
	mu      sync.Mutex
	lat     map[string][]time.Duration
	errs    map[string]map[string]int // journey → status or error → count
	dropped int
}

func (s *stageStats) add(j string, d time.Duration, failure string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if failure != "" {
		if s.errs[j] == nil {
			s.errs[j] = map[string]int{}
		}
		s.errs[j][failure]++
		return
	}
	s.lat[j] = append(s.lat[j], d)
}

type loadJob struct {
	j     *journey
	k     int
	sched time.Time
}

// runLoad runs the stages in turn and prints each one's figures. The load
// is open: requests are started on schedule whether or not earlier ones
// have answered, and a request's latency counts from when it was due, so a
// server that falls behind shows it in the figures (no coordinated
// omission). A request that cannot even start because all connections are
// busy for a second is counted as dropped, an error.
func runLoad(ctx context.Context, w io.Writer, o loadOptions, fix *loadFixture) (failed int, err error) {
	tr := &http.Transport{MaxIdleConnsPerHost: o.conns, MaxConnsPerHost: o.conns, IdleConnTimeout: 30 * time.Second}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer tr.CloseIdleConnections()
	c := &loadClient{base: o.base, fix: fix}
	stage := o.duration / time.Duration(len(o.rates))
	fmt.Fprintf(w, "load on %s: %d stages of %s, %d connections, %d candidates, %d coaches\n",
		o.base, len(o.rates), stage.Round(time.Second), o.conns, len(fix.sample.Candidates), len(fix.coachToken))
	// A warm-up runs each journey once, one at a time, before the stages:
	// they measure a warm server, not the first requests that fill its
	// caches (prepared statements, pooled connections, the encoders of
	// each answer's type). Its failures count; its times do not.
	warm := &stageStats{lat: map[string][]time.Duration{}, errs: map[string]map[string]int{}}
	k := 0
	for i := range journeys {
		if len(o.only) > 0 && !slices.Contains(o.only, &journeys[i]) {
			continue
		}
		k++
		do(client, c, loadJob{j: &journeys[i], k: k, sched: time.Now()}, warm)
	}
	for _, e := range warm.errs {
		for failure, n := range e {
			fmt.Fprintf(w, "warm-up: %d × %s\n", n, failure)
			failed += n
		}
	}
	for _, rate := range o.rates {
		st := &stageStats{lat: map[string][]time.Duration{}, errs: map[string]map[string]int{}}
		jobs := make(chan loadJob, o.conns)
		var wg sync.WaitGroup
		for range o.conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for job := range jobs {
					do(client, c, job, st)
				}
			}()
		}
		t0 := time.Now()
		interval := time.Second / time.Duration(rate)
		n := int(stage / interval)
		stopped := false
		for i := 0; i < n && !stopped; i++ {
			due := t0.Add(time.Duration(i) * interval)
			if d := time.Until(due); d > 0 {
				select {
				case <-ctx.Done():
					stopped = true
					continue
				case <-time.After(d):
				}
			}
			k++
			j := pick((k * 7919) % 1000)
			if len(o.only) > 0 {
				j = o.only[k%len(o.only)]
			}
			job := loadJob{j: j, k: k, sched: due}
			// A request that cannot start within a second of when it was
			// due, because every connection is busy, is dropped: the
			// stage keeps its schedule and its length.
			select {
			case jobs <- job:
			case <-time.After(time.Until(due.Add(time.Second))):
				st.mu.Lock()
				st.dropped++
				st.mu.Unlock()
			}
		}
		close(jobs)
		wg.Wait()
		el := time.Since(t0)
		failed += report(w, rate, el, st)
		if stopped {
			return failed, ctx.Err()
		}
	}
	return failed, nil
}

func do(client *http.Client, c *loadClient, job loadJob, st *stageStats) {
	req, err := job.j.do(c, job.k)
	if err != nil {
		st.add(job.j.name, 0, err.Error())
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		st.add(job.j.name, 0, "transport: "+shortErr(err))
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(job.sched)
	if resp.StatusCode >= 400 {
		st.add(job.j.name, 0, strconv.Itoa(resp.StatusCode))
		return
	}
	st.add(job.j.name, d, "")
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// report prints a stage's table and returns its number of failures.
func report(w io.Writer, rate int, el time.Duration, st *stageStats) int {
	ok, failed := 0, st.dropped
	names := make([]string, 0, len(journeys))
	for _, j := range journeys {
		names = append(names, j.name)
	}
	var all []time.Duration
	for _, ls := range st.lat {
		all = append(all, ls...)
		ok += len(ls)
	}
	for _, es := range st.errs {
		for _, n := range es {
			failed += n
		}
	}
	fmt.Fprintf(w, "\nstage %d req/s: %d answered in %.1f s = %.0f req/s, %d failed, %d dropped\n", rate, ok, el.Seconds(),
		float64(ok)/el.Seconds(), failed-st.dropped, st.dropped)
	fmt.Fprintf(w, "  %-20s %7s %8s %8s %8s %8s  %s\n", "journey", "count", "p50", "p95", "p99", "max", "errors")
	row := func(name string, ls []time.Duration, errs map[string]int) {
		slices.Sort(ls)
		var es []string
		for k, v := range errs {
			es = append(es, fmt.Sprintf("%s×%d", k, v))
		}
		slices.Sort(es)
		fmt.Fprintf(w, "  %-20s %7d %8s %8s %8s %8s  %s\n", name, len(ls), pct(ls, 50), pct(ls, 95), pct(ls, 99), pct(ls, 100), strings.Join(es, " "))
	}
	for _, n := range names {
		row(n, st.lat[n], st.errs[n])
	}
	row("all", all, nil)
	return failed
}

func pct(ls []time.Duration, p int) string {
	if len(ls) == 0 {
		return "-"
	}
	i := (len(ls)*p + 99) / 100
	i = min(max(i-1, 0), len(ls)-1)
	return ls[i].Round(100 * time.Microsecond).String()
}
