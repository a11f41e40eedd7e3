// Command opstap is the whole of Opstap in one binary: the web UI, the JSON
// API and the background jobs (serve), and the administrator's commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/opstap/opstap"
)

const usage = `Usage: opstap <command> [flags]

Commands:
  serve          run the web UI, JSON API and background jobs (--demo: demo data)
  migrate        apply database migrations
  demo           load the demo data
  user           create, block, unblock or list accounts
  token          create or revoke API tokens
  audit verify   verify the audit log's hash chain
  backup         write a consistent copy of the database and, apart, the key file
  restore        load a backup and its key file into an empty database
  keys rotate    re-wrap every key under the newest master key version (after adding it)
  restore-keys   load a key file into a restored database (erased people stay erased)
  refdata import load reference data (--esco FILE, --postcodes FILE)
  gen            generate a scale data set (--preset small|municipality|national --seed N)
  load           mix the roles' journeys against a server on loopback at rising rates (--addr, --duration, --rates)
  handover       export --commissioner CBS|ID --out FILE / import --in FILE / destroy --commissioner CBS|ID --confirm: a commissioner's data at contract end
  openapi        print the OpenAPI document of the JSON API
  version        print the version

Run 'opstap <command> -h' for a command's flags. Every flag can also be set
as an environment variable: --database-url is OPSTAP_DATABASE_URL, and so on.
`

// Version is set at build time.
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the exit code: 0 on success, 1 on
// failure, 2 on a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, io.Writer) error{
		"serve":        cmdServe,
		"migrate":      cmdMigrate,
		"demo":         cmdDemo,
		"user":         cmdUser,
		"token":        cmdToken,
		"audit":        cmdAudit,
		"backup":       cmdBackup,
		"restore":      cmdRestore,
		"refdata":      cmdRefdata,
		"gen":          cmdGen,
		"load":         cmdLoad,
		"restore-keys": cmdRestoreKeys,
		"handover":     cmdHandover,
		"keys":         cmdKeys,
		"openapi":      cmdOpenAPI,
		"version":      func(context.Context, []string, io.Writer) error { fmt.Fprintln(stdout, Version); return nil },
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "opstap: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(ctx, args[1:], stdout)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "opstap %s: %v\n", args[0], err)
		return 2
	default:
		msg := err.Error()
		if e := opstap.AsError(err); e != nil {
			msg = e.Message
			if len(e.Args) > 0 {
				msg = fmt.Sprintf(e.Message, e.Args...)
			}
			if e.Field != "" {
				msg += " (" + e.Field + ")"
			}
		}
		fmt.Fprintf(stderr, "opstap %s: %s\n", args[0], msg)
		return 1
	}
}

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
