package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opstap/opstap/internal/auth"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/jobs"
	"github.com/opstap/opstap/internal/server"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/web"
)

type serveFlags struct {
	config
	Addr          string
	Demo          bool
	SecureCookies string
	Origins       string
	Proxies       string
	MetricsAddr   string
	MetricsToken  string
	Workers       int
	MaxInFlight   int
	QueueWait     time.Duration
	Sessions      store.SessionPolicy
	Throttle      auth.Throttle
	Retention     store.RetentionPolicy
	ExpireEvery   time.Duration
	MailEvery     time.Duration
	OIDC          web.OIDCConfig
}

func cmdServe(ctx context.Context, args []string, stdout io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f.config.register(fs)
	fs.StringVar(&f.Addr, "addr", envOr("addr", "127.0.0.1:8080"), "listen address host:port")
	fs.BoolVar(&f.Demo, "demo", envOr("demo", "") == "true", "load demo data and show demo sign-in help")
	fs.StringVar(&f.SecureCookies, "secure-cookies", envOr("secure-cookies", "auto"), "Secure cookie flag: true, false, or auto (off only on a loopback address)")
	fs.StringVar(&f.Origins, "trusted-origins", envOr("trusted-origins", ""), "extra origins allowed to post, comma-separated (e.g. the public URL behind a proxy)")
	fs.StringVar(&f.Proxies, "trusted-proxies", envOr("trusted-proxies", ""), "reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed")
	fs.StringVar(&f.MetricsAddr, "metrics-addr", envOr("metrics-addr", ""), "serve /metrics on this address (host:port) instead of the main one")
	fs.StringVar(&f.MetricsToken, "metrics-token", envOr("metrics-token", ""), "bearer token /metrics asks for; without it and without --metrics-addr, /metrics is not served")
	fs.IntVar(&f.Workers, "workers", 2, "background job workers")
	f.MaxInFlight = 64
	if v := envOr("max-in-flight", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return usageError{"OPSTAP_MAX_IN_FLIGHT is not a whole number"}
		}
		f.MaxInFlight = n
	}
	fs.IntVar(&f.MaxInFlight, "max-in-flight", f.MaxInFlight, "requests served at once; more wait --queue-wait for a place, then get 503 with Retry-After")
	sessions, throttle, retention := store.SessionPolicy{}.OrDefaults(), auth.Throttle{}.OrDefaults(), store.RetentionPolicy{}.OrDefaults()
	durations := []durationFlag{
		{&f.QueueWait, "queue-wait", 250 * time.Millisecond, "how long a request waits for a place when --max-in-flight are being served"},
		{&f.Sessions.MaxAge, "session-max-age", sessions.MaxAge, "a session's absolute life"},
		{&f.Sessions.Idle, "session-idle", sessions.Idle, "how long a session may go unused before it ends"},
		{&f.Throttle.Window, "login-throttle-window", throttle.Window, "how long a failed sign-in counts towards locking its account and address"},
		{&f.Retention.Pause, "retention-pause", retention.Pause, "the pause between a retention run's batches, which lets other writes in"},
		{&f.ExpireEvery, "expire-every", jobs.ExpireInterval, "how often ended sessions, expired tokens, stale uploads and day-old idempotency keys are purged"},
		{&f.MailEvery, "mail-every", jobs.MailInterval, "how often queued e-mail is looked for besides the sending each change enqueues"},
	}
	for _, d := range durations {
		if err := d.register(fs); err != nil {
			return err
		}
	}
	counts := []intFlag{
		{&f.Throttle.Account, "login-failures-per-account", throttle.Account, "failed sign-ins of one account within --login-throttle-window that lock it"},
		{&f.Throttle.Address, "login-failures-per-address", throttle.Address, "failed sign-ins from one client address within --login-throttle-window that lock it"},
		{&f.Retention.Batch, "retention-batch", retention.Batch, "candidates a retention run erases per transaction"},
	}
	for _, c := range counts {
		if err := c.register(fs); err != nil {
			return err
		}
	}
	f.OIDC.Register(fs, envOr)
	mail := registerSMTP(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, d := range durations {
		if *d.p <= 0 {
			return usageError{fmt.Sprintf("--%s must be a positive duration such as %s", d.name, d.def)}
		}
	}
	for _, c := range counts {
		if *c.p <= 0 {
			return usageError{fmt.Sprintf("--%s must be a positive whole number such as %d", c.name, c.def)}
		}
	}
	host, _, err := net.SplitHostPort(f.Addr)
	if err != nil {
		return usageError{fmt.Sprintf("--addr %q is not host:port", f.Addr)}
	}
	secure, err := secureCookies(f.SecureCookies, host)
	if err != nil {
		return err
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	db.Sessions, db.Throttle, db.Retention = f.Sessions, f.Throttle, f.Retention
	var accounts []demo.Account
	if f.Demo {
		if accounts, err = demo.Load(ctx, db); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	runner, err := jobs.Start(ctx, db, slog.Default(), jobs.Options{Workers: f.Workers, Mail: *mail, ExpireEvery: f.ExpireEvery, MailEvery: f.MailEvery})
	if err != nil {
		return fmt.Errorf("background jobs: %w", err)
	}
	defer runner.Stop(context.Background())

	wh, err := web.New(db)
	if err != nil {
		return err
	}
	wh.Demo, wh.SecureCookies = f.Demo, secure
	if f.OIDC.Issuer != "" {
		if wh.OIDC, err = web.NewOIDC(ctx, f.OIDC); err != nil {
			return err
		}
	}
	var origins []string
	for _, o := range strings.Split(f.Origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	srv, err := server.New(db, wh, origins)
	if err != nil {
		return err
	}
	if srv.Proxies, err = httpx.ParseProxies(f.Proxies); err != nil {
		return usageError{"--trusted-proxies: " + err.Error()}
	}
	srv.MetricsToken, srv.MetricsApart = f.MetricsToken, f.MetricsAddr != ""
	if f.MaxInFlight < 1 {
		return usageError{"--max-in-flight must be at least 1"}
	}
	srv.Shed = httpx.NewShedder(f.MaxInFlight, f.QueueWait)
	servers := []*http.Server{{Addr: f.Addr, Handler: srv.Handler()}}
	if f.MetricsAddr != "" {
		servers = append(servers, &http.Server{Addr: f.MetricsAddr, Handler: srv.MetricsHandler()})
	}
	lns := make([]net.Listener, len(servers))
	for i, hs := range servers {
		if lns[i], err = net.Listen("tcp", hs.Addr); err != nil {
			for _, ln := range lns[:i] {
				ln.Close()
			}
			return fmt.Errorf("listen on %s: %w", hs.Addr, err)
		}
	}
	fmt.Fprintf(stdout, "Opstap is running at http://%s/\n", lns[0].Addr())
	if len(lns) > 1 {
		fmt.Fprintf(stdout, "Metrics at http://%s/metrics\n", lns[1].Addr())
	}
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout = 10*time.Second, time.Minute, 2*time.Minute, 2*time.Minute
		go func() { errc <- hs.Serve(lns[i]) }()
	}
	if f.Demo {
		printAccounts(stdout, accounts)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

func secureCookies(v, host string) (bool, error) {
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "auto":
		ip := net.ParseIP(host)
		return !(host == "localhost" || (ip != nil && ip.IsLoopback())), nil
	}
	return false, usageError{"--secure-cookies must be true, false or auto"}
}

func printAccounts(w io.Writer, accounts []demo.Account) {
	fmt.Fprintf(w, "\nDemo accounts (password %q for all). The second-factor page shows the current code in demo mode.\n", demo.Password)
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-22s %-34s %s\n", a.Role, a.Email, a.Organisation)
	}
}
