package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/audit"
	"github.com/opstap/opstap/internal/demo"
	"github.com/opstap/opstap/internal/store"
)

// system is the actor for command-line administration: whoever can run the
// binary with the keys already holds the keys to everything.
var system = &opstap.Actor{System: true, Address: "cli"}

// withDB parses args with the common flags plus extra ones and opens the
// database.
func withDB(ctx context.Context, name string, args []string, extra func(*flag.FlagSet), fn func(*store.DB) error) error {
	return withConfig(ctx, name, args, extra, func(_ *config, db *store.DB) error { return fn(db) })
}

// withConfig is withDB for commands that need the configuration too.
func withConfig(ctx context.Context, name string, args []string, extra func(*flag.FlagSet), fn func(*config, *store.DB) error) error {
	var c config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	c.register(fs)
	if extra != nil {
		extra(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(&c, db)
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	return withDB(ctx, "migrate", args, nil, func(*store.DB) error {
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	})
}

func cmdDemo(ctx context.Context, args []string, stdout io.Writer) error {
	return withDB(ctx, "demo", args, nil, func(db *store.DB) error {
		accounts, err := demo.Load(ctx, db)
		if err == nil {
			printAccounts(stdout, accounts)
		}
		return err
	})
}

func subcommand(args []string, names ...string) (string, []string, error) {
	if len(args) == 0 {
		return "", nil, usageError{"missing subcommand: one of " + strings.Join(names, ", ")}
	}
	for _, n := range names {
		if args[0] == n {
			return n, args[1:], nil
		}
	}
	return "", nil, usageError{fmt.Sprintf("unknown subcommand %q: one of %s", args[0], strings.Join(names, ", "))}
}

func cmdUser(ctx context.Context, args []string, stdout io.Writer) error {
	sub, rest, err := subcommand(args, "create", "block", "unblock", "list")
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		return userCreate(ctx, rest, stdout)
	case "list":
		var asJSON bool
		return withDB(ctx, "user list", rest, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") }, func(db *store.DB) error {
			us, err := db.FindUsers(ctx, system)
			if err != nil {
				return err
			}
			return printUsers(stdout, us, asJSON)
		})
	}
	var email string
	return withDB(ctx, "user "+sub, rest, func(fs *flag.FlagSet) { fs.StringVar(&email, "email", "", "the account's e-mail address") }, func(db *store.DB) error {
		u, err := db.FindUserByEmail(ctx, email)
		if err != nil {
			return err
		}
		if sub == "block" {
			err = db.BlockUser(ctx, system, u.ID)
		} else {
			err = db.UnblockUser(ctx, system, u.ID)
		}
		if err == nil {
			fmt.Fprintf(stdout, "%sed %s\n", sub, u.Email)
		}
		return err
	})
}

func userCreate(ctx context.Context, args []string, stdout io.Writer) error {
	var email, name, orgName, roles, expires string
	var pwStdin bool
	return withDB(ctx, "user create", args, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "e-mail address (sign-in name)")
		fs.StringVar(&name, "name", "", "full name")
		fs.StringVar(&orgName, "org", "", "organisation name or id")
		fs.StringVar(&roles, "roles", "", "roles, comma-separated; ROLE:read for read-only (e.g. coach or auditor:read)")
		fs.StringVar(&expires, "expires", "", "grant expiry date YYYY-MM-DD (required for auditors)")
		fs.BoolVar(&pwStdin, "password-stdin", false, "read the initial password from standard input")
	}, func(db *store.DB) error {
		n := account.NewUser{Email: email, Name: name}
		orgs, err := db.FindOrganisations(ctx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.ID == orgName || strings.EqualFold(o.Name, orgName) {
				n.OrgID = o.ID
			}
		}
		if n.OrgID == "" {
			return opstap.FieldError("org", "unknown organisation")
		}
		if n.Grants, err = parseRoles(roles, expires); err != nil {
			return err
		}
		if pwStdin {
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("read password: %w", err)
			}
			n.Password = strings.TrimRight(line, "\r\n")
		}
		u, err := db.CreateUser(ctx, system, n)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, u.ID)
		return nil
	})
}

func parseRoles(roles, expires string) ([]access.GrantSpec, error) {
	var exp *time.Time
	if expires != "" {
		d, err := time.ParseInLocation("2006-01-02", expires, opstap.Amsterdam)
		if err != nil {
			return nil, opstap.FieldError("expires", "not a valid date")
		}
		d = d.AddDate(0, 0, 1)
		exp = &d
	}
	var gs []access.GrantSpec
	for _, r := range strings.Split(roles, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		role, acc, _ := strings.Cut(r, ":")
		if acc == "" {
			acc = "write"
		}
		gs = append(gs, access.GrantSpec{Role: opstap.Role(role), Access: opstap.Action(acc), ExpiresAt: exp})
	}
	if len(gs) == 0 {
		return nil, opstap.FieldError("roles", "give at least one role")
	}
	return gs, nil
}

// userRow is one account in `user list --json`.
type userRow struct {
	ID           string         `json:"id"`
	Email        string         `json:"email"`
	Name         string         `json:"name"`
	Organisation string         `json:"organisation"`
	OrgKind      string         `json:"organisation_kind"`
	Roles        []string       `json:"roles"`
	Grants       []opstap.Grant `json:"grants"`
	Blocked      bool           `json:"blocked"`
}

func printUsers(w io.Writer, us []*store.User, asJSON bool) error {
	rows := make([]userRow, 0, len(us))
	now := time.Now()
	for _, u := range us {
		r := userRow{ID: u.ID, Email: u.Email, Name: u.Name, Organisation: u.Organisation.Name, OrgKind: string(u.Organisation.Kind), Grants: u.Grants, Blocked: u.BlockedAt != nil, Roles: []string{}}
		for _, g := range u.Grants {
			if g.Active(now) {
				r.Roles = append(r.Roles, string(g.Role)+":"+string(g.Access))
			}
		}
		rows = append(rows, r)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tORGANISATION\tROLES\tSTATUS")
	for _, r := range rows {
		status := "active"
		if r.Blocked {
			status = "blocked"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Email, r.Organisation, strings.Join(r.Roles, ","), status)
	}
	return tw.Flush()
}

func cmdToken(ctx context.Context, args []string, stdout io.Writer) error {
	sub, rest, err := subcommand(args, "create", "revoke")
	if err != nil {
		return err
	}
	if sub == "revoke" {
		var id string
		return withDB(ctx, "token revoke", rest, func(fs *flag.FlagSet) { fs.StringVar(&id, "id", "", "token id") }, func(db *store.DB) error {
			if err := db.RevokeToken(ctx, system, id); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "revoked")
			return nil
		})
	}
	var email, name string
	var days int
	return withDB(ctx, "token create", rest, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "user", "", "e-mail address of the account the token acts for")
		fs.StringVar(&name, "name", "cli", "a name to recognise the token by")
		fs.IntVar(&days, "days", 90, "days until the token expires (at most 366)")
	}, func(db *store.DB) error {
		u, err := db.FindUserByEmail(ctx, email)
		if err != nil {
			return err
		}
		exp := db.Now().Add(time.Duration(days) * 24 * time.Hour)
		plain, _, err := db.CreateToken(ctx, system, u.ID, name, &exp)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, plain)
		return nil
	})
}

func cmdAudit(ctx context.Context, args []string, stdout io.Writer) error {
	_, rest, err := subcommand(args, "verify")
	if err != nil {
		return err
	}
	var anchors string
	return withDB(ctx, "audit verify", rest, func(fs *flag.FlagSet) {
		fs.StringVar(&anchors, "anchor", "", "anchors SEQ:HASH (comma-separated) from the log's \"audit anchor\" lines; each must still be in the chain")
	}, func(db *store.DB) error {
		n, err := db.VerifyAuditAs(ctx, system)
		if b := audit.AsBroken(err); b != nil {
			return fmt.Errorf("audit log broken at entry %d: %s (%d entries before it are intact)", b.Seq, b.Reason, n)
		} else if err != nil {
			return err
		}
		checked := 0
		for _, s := range strings.Split(anchors, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			a, err := store.ParseAnchor(s)
			if err != nil {
				return err
			}
			if err := db.CheckAnchor(ctx, a); err != nil {
				if b := audit.AsBroken(err); b != nil {
					return fmt.Errorf("audit log broken at entry %d: %s", b.Seq, b.Reason)
				}
				return err
			}
			checked++
		}
		fmt.Fprintf(stdout, "audit log intact: %d entries verified, %d anchors found\n", n, checked)
		return nil
	})
}
