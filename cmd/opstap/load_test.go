package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap/internal/gen"
)

// TestLoadCommand: the short load run CI makes (issue 13): a small
// generated data set, `opstap serve` on loopback, every journey of the mix
// at two rates for a few seconds; the run fails on any error, and the
// audit chain verifies afterwards with every read in it.
func TestLoadCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := cli(t, dir, "gen", "--preset", "small", "--seed", "3")
	if code != 0 {
		t.Fatalf("gen: %d %s %s", code, out, errOut)
	}
	small := gen.Presets["small"]
	for _, want := range []string{fmt.Sprintf("generating preset small (seed 3): %d rows\n", small.Rows()),
		fmt.Sprintf("; %d candidates (%d with a flex profile) in ", small.Candidates, small.Profiles)} {
		if !strings.Contains(out, want) {
			t.Errorf("gen output lacks %q:\n%s", want, out)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan int, 1)
	go func() {
		var out, errOut bytes.Buffer
		served <- run(ctx, []string{"serve", "--addr", addr}, &out, &errOut)
	}()
	defer func() {
		stop()
		<-served
	}()
	// The server is up when it answers, however long its start takes (under
	// the race detector on a loaded machine, many seconds); it has failed
	// when run returns.
	for {
		if r, err := http.Get("http://" + addr + "/healthz"); err == nil {
			r.Body.Close()
			break
		}
		select {
		case code := <-served:
			served <- code // for the deferred wait
			t.Fatalf("the server stopped before it answered: exit %d", code)
		case <-time.After(100 * time.Millisecond):
		}
	}
	code, out, errOut = cli(t, dir, "load", "--addr", addr, "--duration", "4s", "--rates", "20,40", "--connections", "8", "--fail-on-error")
	t.Log(out)
	if code != 0 {
		t.Fatalf("load: %d %s", code, errOut)
	}
	for _, j := range journeys {
		if !strings.Contains(out, j.name) {
			t.Errorf("no line for %q", j.name)
		}
	}
	if !strings.Contains(out, "0 failed, 0 dropped") {
		t.Errorf("failures in %s", out)
	}
	if code, out, _ := cli(t, dir, "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify after load: %d %s", code, out)
	}
}

// TestLoadOnlyOnLoopback: the load tool refuses any other address.
func TestLoadOnlyOnLoopback(t *testing.T) {
	for _, addr := range []string{"192.0.2.1:8080", "http://198.51.100.7:80", "8.8.8.8:53", "nohost"} {
		code, _, errOut := cli(t, t.TempDir(), "load", "--addr", addr, "--duration", "1s")
		if code != 2 || !(strings.Contains(errOut, "loopback") || strings.Contains(errOut, "host:port")) {
			t.Errorf("%s: exit %d, %q", addr, code, errOut)
		}
	}
}
