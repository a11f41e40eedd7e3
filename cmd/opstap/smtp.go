package main

import (
	"flag"
	"fmt"
	"net"
	"net/url"

	"github.com/opstap/opstap/internal/jobs"
)

// registerSMTP adds the e-mail sender's flags to the serve command and
// returns the configuration they fill in when the flags are parsed. The
// password is best given in the environment (OPSTAP_SMTP_PASSWORD).
func registerSMTP(fs *flag.FlagSet) *jobs.MailConfig {
	c := &jobs.MailConfig{BaseURL: envOr("base-url", "")}
	fs.Func("smtp-addr", "SMTP server host:port for notification e-mails (empty: no e-mail is sent)", func(s string) error {
		if _, _, err := net.SplitHostPort(s); err != nil {
			return fmt.Errorf("%q is not host:port", s)
		}
		c.Addr = s
		return nil
	})
	if v := envOr("smtp-addr", ""); v != "" {
		_ = fs.Set("smtp-addr", v)
	}
	fs.StringVar(&c.From, "smtp-from", envOr("smtp-from", ""), "sender address of notification e-mails (default noreply@ the --base-url host)")
	fs.StringVar(&c.Username, "smtp-username", envOr("smtp-username", ""), "SMTP user name (credentials are only sent over TLS)")
	fs.StringVar(&c.Password, "smtp-password", envOr("smtp-password", ""), "SMTP password (secret; prefer the environment variable)")
	fs.Func("base-url", "public URL of Opstap, for the links in e-mails (e.g. https://opstap.example.nl)", func(s string) error {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%q is not an http(s) URL", s)
		}
		c.BaseURL = s
		return nil
	})
	return c
}
