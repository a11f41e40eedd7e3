// Package chart lays out the bar charts of a monthly trend (issue 10 item
// 6): the geometry only, in user units of a fixed view box, so that the web
// page draws it as SVG and a PDF can draw the same bars. The charts are
// meant to be read without colour: every bar carries its value as text, the
// axis its tick values, and every chart goes with a table of its data.
package chart

import (
	"math"
	"strconv"
	"strings"
)

// Point is one bar: a label under it (a month), its value and the value as
// the reader should see it ("40,2").
type Point struct {
	Label string
	Value float64
	Text  string
}

// Bar is a laid-out bar with where its texts go.
type Bar struct {
	X, Y, W, H float64
	Label      string
	Text       string
	CX         float64 // the bar's centre, for its texts
	TextY      float64 // baseline of the value above the bar
}

// Tick is a value on the vertical axis: its line's height and the
// baseline of its text.
type Tick struct {
	Y, TextY float64
	Text     string
}

// Chart is a laid-out bar chart in a Width × Height view box; the plot
// area runs from Left to Right and from Top to Bottom (the zero line).
type Chart struct {
	Width, Height            float64
	Left, Right, Top, Bottom float64
	LabelY                   float64 // baseline of the bar labels
	TickX                    float64 // right end of the tick texts
	Bars                     []Bar
	Ticks                    []Tick
}

// The view box and margins, in user units.
const (
	width   = 640
	height  = 240
	marginL = 44
	marginR = 8
	marginT = 20
	marginB = 28
)

// Bars lays out one bar per point on a scale from 0 to a round maximum;
// comma writes the tick values with a decimal comma (Dutch).
func Bars(points []Point, comma bool) Chart {
	c := Chart{Width: width, Height: height, Left: marginL, Right: width - marginR, Top: marginT, Bottom: height - marginB}
	c.LabelY, c.TickX = c.Bottom+18, c.Left-6
	top := 0.0
	for _, p := range points {
		top = math.Max(top, p.Value)
	}
	top, step := niceScale(top)
	plotH := c.Bottom - c.Top
	for v := 0.0; v <= top+step/2; v += step {
		y := c.Bottom - v/top*plotH
		c.Ticks = append(c.Ticks, Tick{Y: y, TextY: y + 4, Text: tickText(v, step, comma)})
	}
	if len(points) == 0 {
		return c
	}
	slot := (c.Right - c.Left) / float64(len(points))
	w := slot * 0.6
	// Past a year of bars the texts would overlap: every n-th bar keeps
	// its label and value (the table beside the chart has them all).
	every := (len(points) + 11) / 12
	for i, p := range points {
		h := math.Max(0, p.Value) / top * plotH
		x := c.Left + float64(i)*slot + (slot-w)/2
		b := Bar{X: x, Y: c.Bottom - h, W: w, H: h, CX: x + w/2, TextY: c.Bottom - h - 4}
		if i%every == 0 {
			b.Label, b.Text = p.Label, p.Text
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// niceScale returns a step of 1, 2 or 5 times a power of ten giving about
// four steps, and the first multiple of it at or above top. An all-zero
// series gets 0–4.
func niceScale(top float64) (max, step float64) {
	if top <= 0 {
		return 4, 1
	}
	rough := top / 4
	pow := math.Pow(10, math.Floor(math.Log10(rough)))
	step = 10 * pow
	for _, m := range []float64{1, 2, 5} {
		if m*pow >= rough {
			step = m * pow
			break
		}
	}
	return math.Ceil(top/step-1e-9) * step, step
}

// tickText writes a tick value with one decimal when the step needs it,
// with a decimal comma when comma is set.
func tickText(v, step float64, comma bool) string {
	decimals := 0
	if step < 1 {
		decimals = 1
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if comma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
