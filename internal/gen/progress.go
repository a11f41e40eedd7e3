package gen

import (
	"fmt"
	"io"
	"time"
)

// progress writes one line per phase to w: rewritten in place while the
// phase runs (at most twice a second), with the rows written and the rate
// since the run began.
type progress struct {
	w           io.Writer
	start, last time.Time
	total       int // rows written by finished phases
	phase       string
	phaseRows   int
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, start: time.Now()}
}

// step reports n of the phase's total records written, one row each.
func (p *progress) step(phase string, n, total int) { p.stepRows(phase, n, total, n) }

// stepRows reports n of total records written, rows rows in all so far in
// this phase (a placement brings its timesheet lines).
func (p *progress) stepRows(phase string, n, total, rows int) {
	if phase != p.phase {
		p.phase, p.phaseRows = phase, 0
	}
	p.total += rows - p.phaseRows
	p.phaseRows = rows
	now := time.Now()
	finished := n >= total
	if p.w == nil || (!finished && now.Sub(p.last) < 500*time.Millisecond) {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	line := fmt.Sprintf("\r%-28s %9d/%-9d %10d rows %8.0f rows/s %7.1fs", phase, n, total, p.total, float64(p.total)/el.Seconds(), el.Seconds())
	if finished {
		line += "\n"
	}
	fmt.Fprint(p.w, line)
}

func (p *progress) done(el time.Duration) {
	if p.w != nil {
		fmt.Fprintf(p.w, "done: %d rows in %.1fs, %.0f rows/s\n", p.total, el.Seconds(), float64(p.total)/el.Seconds())
	}
}
