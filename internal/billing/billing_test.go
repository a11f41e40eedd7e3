package billing

import (
	"errors"
	"math"
	"testing"

	"github.com/opstap/opstap"
)

func date(t *testing.T, s string) opstap.Date {
	t.Helper()
	d, err := opstap.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func month(t *testing.T, s string) opstap.Month {
	t.Helper()
	m, err := opstap.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// domainTiers is DOMAIN.md §5's example: 20 % up to 10.000, 15 % up to
// 25.000, 10 % above.
var domainTiers = []Tier{{UpTo: 1_000_000, Rate: 2000}, {UpTo: 2_500_000, Rate: 1500}, {Rate: 1000}}

func TestFee(t *testing.T) {
	tests := []struct {
		name    string
		revenue opstap.Cents
		tiers   []Tier
		want    opstap.Cents
		bands   []opstap.Cents // fee per band
	}{
		{"DOMAIN example 30.000", 3_000_000, domainTiers, 475_000, []opstap.Cents{200_000, 225_000, 50_000}},
		{"exactly on the first bound", 1_000_000, domainTiers, 200_000, []opstap.Cents{200_000}},
		{"one cent into the second band", 1_000_001, domainTiers, 200_000, []opstap.Cents{200_000, 0}}, // 15 % of 0,01 = 0,0015 → 0,00
		{"exactly on the second bound", 2_500_000, domainTiers, 425_000, []opstap.Cents{200_000, 225_000}},
		{"small month", 12_345, domainTiers, 2_469, []opstap.Cents{2_469}}, // 20 % of 123,45 = 24,69
		{"half cent rounds up per band", 1_000_250, []Tier{{UpTo: 1_000_000, Rate: 2000}, {Rate: 1}}, 200_000, []opstap.Cents{200_000, 0}},
		{"band of 50 cents at 1 %", 1_000_050, []Tier{{UpTo: 1_000_000, Rate: 2000}, {Rate: 100}}, 200_001, []opstap.Cents{200_000, 1}}, // 0,50 × 1 % = 0,005 → 0,01
		{"no revenue", 0, domainTiers, 0, nil},
		{"only credit notes", -5_000, domainTiers, 0, nil},
		{"single flat tier", 3_000_000, []Tier{{Rate: 1250}}, 375_000, []opstap.Cents{375_000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fee, bands, err := Fee(tt.revenue, tt.tiers)
			if err != nil || fee != tt.want || len(bands) != len(tt.bands) {
				t.Fatalf("Fee(%d) = %d, %d bands, %v; want %d, %d bands", tt.revenue, fee, len(bands), err, tt.want, len(tt.bands))
			}
			var sumRevenue opstap.Cents
			for i, b := range bands {
				if b.Fee != tt.bands[i] {
					t.Errorf("band %d fee %d, want %d", i, b.Fee, tt.bands[i])
				}
				sumRevenue += b.Revenue
			}
			if tt.revenue > 0 && sumRevenue != tt.revenue {
				t.Errorf("bands cover %d of %d", sumRevenue, tt.revenue)
			}
		})
	}
}

func TestValidateTiers(t *testing.T) {
	bad := [][]Tier{
		nil,
		{{UpTo: 100, Rate: 2000}}, // last tier bounded
		{{UpTo: 100, Rate: 2000}, {UpTo: 100, Rate: 1000}, {Rate: 0}}, // bounds not rising
		{{UpTo: 0, Rate: 2000}, {Rate: 1000}},                         // unbounded tier before the last
		{{Rate: 10001}},                                               // above 100 %
		{{Rate: -1}},
	}
	for i, tiers := range bad {
		if err := ValidateTiers(tiers); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Errorf("case %d accepted: %v", i, err)
		}
		if _, _, err := Fee(100, tiers); err == nil {
			t.Errorf("case %d: Fee accepted invalid tiers", i)
		}
	}
	if err := ValidateTiers(domainTiers); err != nil {
		t.Fatal(err)
	}
}

func TestFeeAboveMinimum(t *testing.T) {
	for _, tt := range []struct{ fee, min, want opstap.Cents }{
		{475_000, 300_000, 175_000}, {300_000, 300_000, 0}, {100_000, 300_000, 0}, {475_000, 0, 475_000},
	} {
		if got, err := FeeAboveMinimum(tt.fee, tt.min); err != nil || got != tt.want {
			t.Errorf("FeeAboveMinimum(%d, %d) = %d, %v", tt.fee, tt.min, got, err)
		}
	}
}

func TestInvoiceTotals(t *testing.T) {
	// Three lines at 21 % and one at 9 %, worked out by hand:
	// 7,5 h × 11,75 = 88,125 → 88,13; 7:20 h × 11,75 = 86,1666 → 86,17;
	// correction −1 h × 11,75 = −11,75. Base 21 %: 162,55, VAT 34,1355 → 34,14.
	// Base 9 %: 10,00, VAT 0,90. Net 172,55, VAT 35,04, gross 207,59.
	l1, _ := HoursLine(450, 1175)
	l2, _ := HoursLine(440, 1175)
	l3, _ := HoursLine(-60, 1175)
	if l1 != 8813 || l2 != 8617 || l3 != -1175 {
		t.Fatalf("lines %d %d %d", l1, l2, l3)
	}
	tot, err := InvoiceTotals([]Line{{l1, 2100}, {l2, 2100}, {l3, 2100}, {1000, 900}})
	if err != nil {
		t.Fatal(err)
	}
	if tot.Net != 17255 || tot.VAT != 3504 || tot.Gross != 20759 || len(tot.ByRate) != 2 {
		t.Fatalf("totals %+v", tot)
	}
	if g := tot.ByRate[0]; g.Rate != 900 || g.Base != 1000 || g.VAT != 90 {
		t.Errorf("9 %% group %+v", g)
	}
	if g := tot.ByRate[1]; g.Rate != 2100 || g.Base != 16255 || g.VAT != 3414 {
		t.Errorf("21 %% group %+v", g)
	}
	// VAT per rate, not per line: three lines of 0,50 at 21 % are 0,105 each
	// (0,11 per line = 0,33) but 1,50 × 21 % = 0,315 → 0,32 on the invoice.
	tot, _ = InvoiceTotals([]Line{{50, 2100}, {50, 2100}, {50, 2100}})
	if tot.VAT != 32 {
		t.Errorf("VAT on the rate's base = %d, want 32", tot.VAT)
	}
	if _, err := InvoiceTotals([]Line{{100, 10001}}); err == nil {
		t.Error("VAT above 100 % accepted")
	}
	if _, err := InvoiceTotals([]Line{{math.MaxInt64, 0}, {1, 0}}); !errors.Is(err, opstap.ErrOverflow) {
		t.Errorf("overflowing invoice: %v", err)
	}
	if d := DueDate(date(t, "2026-01-31"), 30); d.String() != "2026-03-02" {
		t.Errorf("due %s", d)
	}
	if c, err := CountLine(2, 35000); err != nil || c != 70000 {
		t.Errorf("CountLine = %d, %v", c, err)
	}
}

func TestPremiumAge(t *testing.T) {
	tests := []struct {
		birth, day string
		want       bool
	}{
		{"1999-06-15", "2026-06-14", false}, // the day before the 27th birthday
		{"1999-06-15", "2026-06-15", true},  // the birthday itself
		{"2000-02-29", "2027-02-28", false}, // no 29 February in 2027: 27 on 1 March
		{"2000-02-29", "2027-03-01", true},
		{"1960-01-01", "2026-01-01", true},
	}
	for _, tt := range tests {
		if got := PremiumAgeReached(date(t, tt.birth), date(t, tt.day)); got != tt.want {
			t.Errorf("born %s, on %s: %v", tt.birth, tt.day, got)
		}
	}
}

func TestPromiseFor(t *testing.T) {
	tests := []struct {
		birth, first, last string
		want               PremiumPromise
		from               string
	}{
		{"1999-06-15", "2026-06-15", "2026-09-14", PremiumWhole, "2026-06-15"},  // 27 on the first day
		{"1999-06-15", "2026-03-01", "2026-06-14", PremiumNone, "2026-06-15"},   // 27 the day after the last
		{"1999-06-15", "2026-03-01", "2026-06-15", PremiumPartly, "2026-06-15"}, // 27 on the last day
		{"2000-02-29", "2027-01-04", "2027-04-03", PremiumPartly, "2027-03-01"}, // leap-day birth
		{"", "2026-03-01", "2026-06-01", PremiumUnknown, ""},
	}
	for _, tt := range tests {
		var birth opstap.Date
		if tt.birth != "" {
			birth = date(t, tt.birth)
		}
		got, from := PromiseFor(birth, date(t, tt.first), date(t, tt.last))
		if got != tt.want || (tt.from != "" && from.String() != tt.from) {
			t.Errorf("born %q, %s–%s: %v from %s", tt.birth, tt.first, tt.last, got, from)
		}
	}
}

func TestAccrue(t *testing.T) {
	birth := date(t, "1999-06-15") // 27 on 15 June 2026
	days := []WorkDay{
		{Date: date(t, "2026-06-12"), Minutes: 450, Travel: 500, PremiumPerHour: 200}, // under 27: travel only
		{Date: date(t, "2026-06-15"), Minutes: 450, Travel: 500, PremiumPerHour: 200}, // birthday: premium
		{Date: date(t, "2026-06-16"), Minutes: 20, PremiumPerHour: 200},
		{Date: date(t, "2026-06-17"), Minutes: 20, PremiumPerHour: 200},
		{Date: date(t, "2026-07-01"), Minutes: 480, Travel: 250, PremiumPerHour: 250}, // new terms from July
		{Date: date(t, "2026-07-02"), Minutes: 1, PremiumPerHour: 250},
		// A correction of a June day booked in August: −1 h.
		{Date: date(t, "2026-06-16"), Month: month(t, "2026-08"), Minutes: -60, PremiumPerHour: 200},
	}
	got, err := Accrue(birth, days)
	if err != nil {
		t.Fatal(err)
	}
	// June: premium minutes 450+20+20 = 490 × 2,00/60 = 16,333… → 16,33 (one
	// line, not 15,00 + 0,67 + 0,67 = 16,34 per day). Travel 10,00; minutes 940.
	// July: 481 min × 2,50/60 = 20,041… → 20,04; travel 2,50.
	// August: −60 min × 2,00 = −2,00.
	want := []Accrual{
		{Month: month(t, "2026-06"), Minutes: 940, PremiumMinutes: 490, Premium: 1633, Travel: 1000},
		{Month: month(t, "2026-07"), Minutes: 481, PremiumMinutes: 481, Premium: 2004, Travel: 250},
		{Month: month(t, "2026-08"), Minutes: -60, PremiumMinutes: -60, Premium: -200},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("month %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// Two rates in one month are two lines: 30 min at 2,00 = 1,00 and
	// 1 min at 2,50 = 0,0416 → 0,04.
	got, _ = Accrue(birth, []WorkDay{
		{Date: date(t, "2026-09-01"), Minutes: 30, PremiumPerHour: 200},
		{Date: date(t, "2026-09-20"), Minutes: 1, PremiumPerHour: 250},
	})
	if len(got) != 1 || got[0].Premium != 104 {
		t.Errorf("mixed rates: %+v", got)
	}
	if _, err := Accrue(opstap.Date{}, days); opstap.AsError(err) == nil || opstap.AsError(err).Field != "birthDate" {
		t.Errorf("no birth date: %v", err)
	}
}

func TestCap(t *testing.T) {
	table := []Cap{{Year: 2025, Amount: 250_000, Source: "Stcrt. 2024"}, {Year: 2026, Amount: 260_000, Source: "Stcrt. 2025"}}
	c, err := CapFor(table, 2026)
	if err != nil || c.Amount != 260_000 {
		t.Fatalf("CapFor 2026 = %+v, %v", c, err)
	}
	if _, err := CapFor(table, 2027); opstap.ErrorCode(err) != opstap.ECONFLICT {
		t.Errorf("missing year: %v", err)
	}
	tests := []struct {
		name                string
		paid                opstap.Cents
		payouts             int
		outstanding         opstap.Cents
		payable, excess     opstap.Cents
		warning, payoutLeft bool
	}{
		{"first payout, well below", 0, 0, 100_000, 100_000, 0, false, true},
		{"exactly 80 %", 0, 0, 208_000, 208_000, 0, true, true},
		{"just below 80 %", 0, 0, 207_999, 207_999, 0, false, true},
		{"second payout reaches the cap", 200_000, 1, 100_000, 60_000, 40_000, true, true},
		{"two payouts made: nothing more this year", 150_000, 2, 60_000, 0, 0, true, false},
		{"two payouts made, below 80 %", 150_000, 2, 50_000, 0, 0, false, false},
		{"cap already reached", 260_000, 1, 10_000, 0, 10_000, true, true},
	}
	for _, tt := range tests {
		s, err := PremiumYear(c, tt.paid, tt.payouts, tt.outstanding)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if s.Payable != tt.payable || s.Excess != tt.excess || s.Warning != tt.warning || s.PayoutLeft != tt.payoutLeft || s.CapSource != "Stcrt. 2025" {
			t.Errorf("%s: %+v", tt.name, s)
		}
		if s.Paid+s.Payable > c.Amount {
			t.Errorf("%s: would pay above the cap", tt.name)
		}
	}
	if _, err := PremiumYear(c, -1, 0, 0); err == nil {
		t.Error("negative paid accepted")
	}
	if _, err := PremiumYear(Cap{Year: 2026}, 0, 0, 10); err == nil {
		t.Error("a cap of zero accepted")
	}
	for _, bad := range []Cap{{Year: 1999, Amount: 1, Source: "x"}, {Year: 2026, Amount: 0, Source: "x"}, {Year: 2026, Amount: 1, Source: " "}} {
		if err := bad.Validate(); opstap.ErrorCode(err) != opstap.EINVALID {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestHalfYear(t *testing.T) {
	tests := []struct {
		month      string
		half       string
		start, end string
		due        string
	}{
		{"2026-01", "2026-H1", "2026-01-01", "2026-06-30", "2026-07-30"},
		{"2026-06", "2026-H1", "2026-01-01", "2026-06-30", "2026-07-30"},
		{"2026-07", "2026-H2", "2026-07-01", "2026-12-31", "2027-01-30"},
		{"2026-12", "2026-H2", "2026-07-01", "2026-12-31", "2027-01-30"},
	}
	for _, tt := range tests {
		h := HalfYearOf(month(t, tt.month))
		if h.String() != tt.half || h.Start().String() != tt.start || h.End().String() != tt.end || h.Due(30).String() != tt.due {
			t.Errorf("%s: %s %s–%s due %s", tt.month, h, h.Start(), h.End(), h.Due(30))
		}
		ms := h.Months()
		if len(ms) != 6 || HalfYearOf(ms[0]) != h || HalfYearOf(ms[5]) != h || ms[5].Next() != h.Next().Months()[0] {
			t.Errorf("%s: months %v", tt.half, ms)
		}
		if p, err := ParseHalfYear(h.String()); err != nil || p != h {
			t.Errorf("ParseHalfYear(%s) = %v, %v", h, p, err)
		}
	}
	for _, s := range []string{"2026-H3", "2026", "26-H1", "2026-H0", "H1-2026", "0000-H1", "+026-H1"} {
		if _, err := ParseHalfYear(s); err == nil {
			t.Errorf("ParseHalfYear(%q) accepted", s)
		}
	}
	if h, err := ParseHalfYear("2026-2"); err != nil || h != (HalfYear{2026, 2}) {
		t.Errorf("2026-2: %v %v", h, err)
	}
}

func FuzzParseHalfYear(f *testing.F) {
	for _, s := range []string{"2026-H1", "2026-h2", "2026-2", "2026-H3", "+026-H1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHalfYear(s)
		if err != nil {
			return
		}
		if !h.Valid() {
			t.Fatalf("%q → invalid %+v", s, h)
		}
		if back, err := ParseHalfYear(h.String()); err != nil || back != h {
			t.Fatalf("%q → %v → %v, %v", s, h, back, err)
		}
	})
}

func TestSettle(t *testing.T) {
	// Hand-computed half year with the DOMAIN tiers and a minimum of 3.000:
	// January: revenue 30.000 → fee 4.750, above minimum 1.750;
	//   premiums 5.000, travel 400 → 30.000 − 5.000 − 400 − 1.750 = 22.850.
	// February: revenue 10.000 → fee 2.000, below the minimum → 0;
	//   premiums 1.700, travel 0 → 8.300.
	// March–June: nothing.
	// Balance 31.150, payable by 30 July.
	terms := DefaultTerms("0034", date(t, "2026-01-01"))
	terms.FeeTiers, terms.MonthlyMinimum = domainTiers, 300_000
	jan, err := Figures(month(t, "2026-01"), 3_000_000, 500_000, 40_000, terms)
	if err != nil || jan.Fee != 475_000 {
		t.Fatalf("January %+v, %v", jan, err)
	}
	feb, _ := Figures(month(t, "2026-02"), 1_000_000, 170_000, 0, terms)
	s, err := Settle(HalfYear{2026, 1}, []MonthFigures{feb, jan}, 30)
	if err != nil {
		t.Fatal(err)
	}
	if s.Balance != 3_115_000 || !s.Payable || s.Due.String() != "2026-07-30" || s.FeeAboveMinimum != 175_000 ||
		s.Revenue != 4_000_000 || s.Premiums != 670_000 || s.Travel != 40_000 || len(s.Months) != 6 {
		t.Fatalf("settlement %+v", s)
	}
	if s.Months[0].Balance != 2_285_000 || s.Months[1].Balance != 830_000 || s.Months[1].FeeAboveMinimum != 0 || s.Months[2].Balance != 0 {
		t.Errorf("months %+v", s.Months)
	}
	// A negative balance is shown, not payable.
	neg, _ := Figures(month(t, "2026-08"), 100_000, 150_000, 10_000, terms)
	s, err = Settle(HalfYear{2026, 2}, []MonthFigures{neg}, 30)
	if err != nil || s.Balance != -60_000 || s.Payable {
		t.Errorf("negative: %+v, %v", s, err)
	}
	if _, err := Settle(HalfYear{2026, 1}, []MonthFigures{jan, jan}, 30); err == nil {
		t.Error("a month given twice was accepted")
	}
	if _, err := Settle(HalfYear{2026, 2}, []MonthFigures{jan}, 30); err == nil {
		t.Error("a month outside the half year was accepted")
	}
	if _, err := Settle(HalfYear{2026, 3}, nil, 30); err == nil {
		t.Error("half 3 accepted")
	}
}

func TestPlanPayout(t *testing.T) {
	capRow := Cap{Year: 2026, Amount: 100000, Source: "test"} // € 1.000
	acc := func(premium, travel opstap.Cents) []Accrual {
		return []Accrual{{Premium: premium / 2, Travel: travel}, {Premium: premium - premium/2}}
	}
	tests := []struct {
		name                           string
		paid                           opstap.Cents
		payouts                        int
		acc                            []Accrual
		premium, travel, excess, total opstap.Cents
		warn                           bool
		skip                           string
	}{
		{"well below the cap", 0, 0, acc(30000, 1500), 30000, 1500, 0, 31500, false, ""},
		{"reaches 80 %", 50000, 1, acc(30000, 0), 30000, 0, 0, 30000, true, ""},
		{"above the cap: excess", 80000, 1, acc(30000, 700), 20000, 700, 10000, 20700, true, ""},
		{"cap used up: travel only", 100000, 1, acc(5000, 900), 0, 900, 5000, 900, true, ""},
		{"third payout refused", 1000, 2, acc(5000, 900), 0, 900, 0, 0, false, SkipNoPayoutLeft},
		{"corrections below zero", 0, 0, []Accrual{{Premium: -400}}, 0, 0, 0, 0, false, SkipNothingToPay},
	}
	for _, tt := range tests {
		p, skip, err := PlanPayout(capRow, tt.paid, tt.payouts, tt.acc)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if skip != tt.skip {
			t.Errorf("%s: skip %q, want %q", tt.name, skip, tt.skip)
		}
		if skip == "" && (p.Premium != tt.premium || p.Travel != tt.travel || p.Excess != tt.excess || p.Amount != tt.total || p.Year.Warning != tt.warn) {
			t.Errorf("%s: %+v", tt.name, p)
		}
	}
}

func TestTravelCost(t *testing.T) {
	km := Terms{TravelRule: TravelPerKm, TravelPerKm: 23}
	if c, err := TravelCost(km, 34, 250); err != nil || c != 34*23+250 {
		t.Errorf("km: %d %v", c, err)
	}
	if c, err := TravelCost(Terms{TravelRule: TravelReceipts}, 34, 250); err != nil || c != 250 {
		t.Errorf("receipts: %d %v", c, err)
	}
	if _, err := TravelCost(Terms{TravelRule: TravelPerKm, TravelPerKm: opstap.Cents(1) << 60}, 1<<10, 0); err == nil {
		t.Error("overflow accepted")
	}
}
