package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/flex"
	"github.com/opstap/opstap/internal/privacy"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// listRows is how many rows each list of TestListsOf10000 holds.
const listRows = 10_000

// bigLists generates listRows assignments, placements, complaints and
// rights requests over 100 candidates of the placement fixture's
// municipality, in deterministic mixes of status and dates.
type bigLists struct {
	*placementFixture
	desk, privacy *opstap.Actor
	candidates    []string // ids, by client number
	numbers       map[string]int64
	assignments   []store.GenAssignment
	placements    []store.GenPlacement
	complaints    []store.GenComplaint
	rights        []store.GenRights
}

func newBigLists(t testing.TB, db *store.DB) *bigLists {
	t.Helper()
	ctx, sys := context.Background(), &opstap.Actor{System: true}
	b := &bigLists{placementFixture: newPlacementFixture(t, db), numbers: map[string]int64{}}
	user := func(email string, role opstap.Role) *opstap.Actor {
		u, err := db.CreateUser(ctx, sys, account.NewUser{OrgID: b.coach.OrgID, Email: email, Name: email, Grants: []access.GrantSpec{{Role: role}}})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(db.Now(), "127.0.0.1")
	}
	b.desk, b.privacy = user("klachten@p.nl", opstap.RoleComplaintsDesk), user("privacy@p.nl", opstap.RolePrivacyOfficer)
	var csv strings.Builder
	csv.WriteString("external_ref;first_name;last_name;birth_date\n")
	for i := range 100 {
		fmt.Fprintf(&csv, "L-%03d;Voornaam%d;Achternaam%d;01-01-1990\n", i, i, i)
	}
	rows, err := parse(t, b.fixture, csv.String())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := db.RegisterBulk(ctx, b.manager, rows); err != nil || res.Created != 100 {
		t.Fatalf("bulk: %+v %v", res, err)
	}
	refs, err := db.CandidateRefs(ctx, b.municipality)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		b.candidates = append(b.candidates, refs[fmt.Sprintf("L-%03d", i)])
	}
	cs, err := db.FindCandidates(ctx, b.manager, store.CandidateFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		b.numbers[c.ID] = c.Number
	}
	start := opstap.DateOf(db.Now())
	for i := range listRows {
		k := (i * 7919) % listRows // titles and dates not in the order of creation
		b.assignments = append(b.assignments, store.GenAssignment{EmployerID: b.employer.ID, LocationID: b.employer.Locations[0].ID, Municipality: b.assignment.Municipality,
			Title: fmt.Sprintf("Opdracht %05d", k), Occupation: b.assignment.Occupation, ISCO: b.assignment.ISCO, Postcode4: b.assignment.Postcode4,
			HoursPerWeek: 20, Days: []string{"mon"}, Start: start.AddDays(k % 365), HourlyRateCents: 1175, Places: 1, Status: flex.Statuses[i%len(flex.Statuses)]})
	}
	if err := db.GenerateAssignments(ctx, sys, b.assignments); err != nil {
		t.Fatal(err)
	}
	for i := range listRows {
		k := (i * 7919) % listRows
		first := start.AddDays(-(k % 700))
		b.placements = append(b.placements, store.GenPlacement{AssignmentID: b.assignments[i%100].ID, CandidateID: b.candidates[i%100],
			FirstDay: first, LastDay: first.AddDays(60), HoursPerWeek: 20, Ended: i%3 == 0})
		received := start.AddDays(-(k % 400))
		b.complaints = append(b.complaints, store.GenComplaint{CandidateID: b.candidates[i%100], Subject: fmt.Sprintf("Klacht %05d", i), ReceivedOn: received,
			Acknowledged: i%2 == 0, Outcome: []complaint.Outcome{"", "", complaint.OutcomeUpheld}[i%3]})
		b.rights = append(b.rights, store.GenRights{CandidateID: b.candidates[i%100], Kind: privacy.RightAccess, ReceivedOn: received,
			Status: []privacy.RightsStatus{privacy.RightsReceived, privacy.RightsInProgress, privacy.RightsGranted, privacy.RightsWithdrawn}[i%4]})
	}
	for _, err := range []error{db.GeneratePlacements(ctx, sys, b.manager.UserID, b.placements), db.GenerateComplaints(ctx, sys, b.complaints),
		db.GenerateRightsRequests(ctx, sys, b.rights)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// registerUpTo registers candidates of the municipality until it has n.
func (b *bigLists) registerUpTo(t testing.TB, n int) {
	t.Helper()
	_, pg, err := b.db.CandidatePage(context.Background(), b.manager, store.CandidateFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n -= pg.Total
	var csv strings.Builder
	csv.WriteString("external_ref;first_name;last_name;birth_date\n")
	for i := range n {
		fmt.Fprintf(&csv, "M-%05d;Voornaam%d;Achternaam%d;01-01-1990\n", i, i, i)
	}
	rows, err := parse(t, b.fixture, csv.String())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := b.db.RegisterBulk(context.Background(), b.manager, rows); err != nil || res.Created != n {
		t.Fatalf("bulk: %+v %v", res, err)
	}
}

// pageFunc reads one page of a list: the ids and each row's sort key, in
// the order asked.
type pageFunc func(p store.Paging) (ids, keys []string, pg store.Page, err error)

// rowsOf makes a pageFunc of a list's read and the id and sort key of its
// rows.
func rowsOf[T any](read func(store.Paging) ([]T, store.Page, error), key func(T) (id, key string)) pageFunc {
	return func(p store.Paging) ([]string, []string, store.Page, error) {
		rows, pg, err := read(p)
		var ids, keys []string
		for _, r := range rows {
			id, k := key(r)
			ids, keys = append(ids, id), append(keys, k)
		}
		return ids, keys, pg, err
	}
}

// queueRank is where a queue puts a row first: overdue, then open, then
// closed.
func queueRank(overdue, open bool) int {
	switch {
	case overdue:
		return 0
	case open:
		return 1
	}
	return 2
}

// listCase is one list with one filter: how many rows it must hold, how to
// read a page of it (the ids and each row's sort key in the order asked),
// whether the keys must rise (the default order's key is known) and
// whether to walk every page.
type listCase struct {
	name   string
	want   int
	page   pageFunc
	sorted bool
	// full walks every page; else the first and the last page are read.
	full bool
}

// TestListsOf10000 (issue 12 item 12): each paged list over 10,000 rows
// counts what its filter holds, walks from the first to the last page
// without a row twice or missing, keeps its order across page boundaries
// and with other page sizes, answers an empty page past the end, and
// refuses an unknown order or status, a negative offset and a limit above
// 200, naming the parameter.
func TestListsOf10000(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		began := time.Now()
		b := newBigLists(t, db)
		t.Logf("generated in %v", time.Since(began))
		today := opstap.DateOf(db.Now())
		count := func(n int, keep func(i int) bool) int {
			c := 0
			for i := range n {
				if keep(i) {
					c++
				}
			}
			return c
		}
		assignments := func(f store.AssignmentFilter) pageFunc {
			return rowsOf(func(p store.Paging) ([]*flex.Assignment, store.Page, error) {
				f := f
				f.Paging = ask(f.Paging, p)
				return db.FindAssignments(ctx, b.manager, f)
			}, func(a *flex.Assignment) (string, string) { return a.ID, a.Start.String() + "|" + a.Title + "|" + a.ID })
		}
		titles := func(f store.AssignmentFilter) pageFunc {
			return rowsOf(func(p store.Paging) ([]*flex.Assignment, store.Page, error) {
				f := f
				f.Paging = ask(f.Paging, p)
				return db.FindAssignments(ctx, b.manager, f)
			}, func(a *flex.Assignment) (string, string) { return a.ID, a.Title + "|" + a.ID })
		}
		placements := func(load func(context.Context, *opstap.Actor, store.PlacementFilter) ([]*store.PlacementView, store.Page, error), a *opstap.Actor, f store.PlacementFilter) pageFunc {
			return rowsOf(func(p store.Paging) ([]*store.PlacementView, store.Page, error) {
				f := f
				f.Paging = ask(f.Paging, p)
				ps, pg, err := load(ctx, a, f)
				for _, v := range ps {
					if v.CandidateName == "" {
						err = fmt.Errorf("placement %s without the candidate's name", v.ID)
					}
				}
				return ps, pg, err
			}, func(v *store.PlacementView) (string, string) { return v.ID, v.FirstDay.String() + "|" + v.ID })
		}
		complaints := func(f store.ComplaintFilter) pageFunc {
			return rowsOf(func(p store.Paging) ([]*complaint.Complaint, store.Page, error) {
				f := f
				f.Paging = ask(f.Paging, p)
				return db.FindComplaints(ctx, b.desk, f)
			}, func(c *complaint.Complaint) (string, string) {
				return c.ID, fmt.Sprintf("%d|%s|%s|%s", queueRank(c.Overdue, c.Open()), c.NextDeadline(), c.ReceivedOn, c.ID)
			})
		}
		rights := func(f store.RightsFilter) pageFunc {
			return rowsOf(func(p store.Paging) ([]store.RightsRequest, store.Page, error) {
				f := f
				f.Paging = ask(f.Paging, p)
				return db.RightsQueue(ctx, b.privacy, f)
			}, func(r store.RightsRequest) (string, string) {
				return r.ID, fmt.Sprintf("%d|%s|%s|%s", queueRank(r.Overdue, !r.Status.Closed()), r.DueOn, r.ReceivedOn, r.ID)
			})
		}
		openComplaint := func(i int) bool { return b.complaints[i].Outcome == "" }
		overdueComplaint := func(i int) bool {
			c := complaint.Complaint{ReceivedOn: b.complaints[i].ReceivedOn, AckDueOn: complaint.AckDue(b.complaints[i].ReceivedOn),
				OutcomeDueOn: complaint.OutcomeDue(b.complaints[i].ReceivedOn), Outcome: b.complaints[i].Outcome}
			if b.complaints[i].Acknowledged {
				c.AcknowledgedOn = c.ReceivedOn
			}
			c.Refresh(today)
			return c.Overdue
		}
		someone := b.candidates[7]
		cases := []listCase{
			{"assignments by start", listRows + 1, assignments(store.AssignmentFilter{}), true, true},
			{"open assignments", count(listRows, func(i int) bool { return b.assignments[i].Status == flex.StatusOpen }) + 1,
				assignments(store.AssignmentFilter{Status: flex.StatusOpen}), true, false},
			{"assignments by title", listRows + 1, titles(store.AssignmentFilter{Paging: store.Paging{Sort: store.SortTitle}}), true, false},
			{"assignments found by title", 10, titles(store.AssignmentFilter{Query: "opdracht 0123", Paging: store.Paging{Sort: store.SortTitle}}), true, false},
			{"assignments, newest first", listRows + 1, assignments(store.AssignmentFilter{Paging: store.Paging{Sort: store.SortNewest}}), false, false},
			{"placements of the municipality", listRows, placements(db.MunicipalityPlacements, b.manager, store.PlacementFilter{}), true, true},
			{"ended placements", count(listRows, func(i int) bool { return b.placements[i].Ended }),
				placements(db.MunicipalityPlacements, b.manager, store.PlacementFilter{Status: flex.PlacementEnded}), true, false},
			{"placements of one client number", listRows / 100,
				placements(db.MunicipalityPlacements, b.manager, store.PlacementFilter{Query: fmt.Sprintf("K-%d", b.numbers[someone])}), true, false},
			{"the employer's live placements", count(listRows, func(i int) bool { return !b.placements[i].Ended }),
				placements(db.EmployerPlacements, b.boss, store.PlacementFilter{}), true, false},
			{"complaints queue", count(listRows, openComplaint), complaints(store.ComplaintFilter{}), true, true},
			{"overdue complaints", count(listRows, overdueComplaint), complaints(store.ComplaintFilter{Status: store.ListOverdue}), true, false},
			{"all complaints", listRows, complaints(store.ComplaintFilter{Status: store.ListAll}), true, false},
			{"all complaints, newest first", listRows, complaints(store.ComplaintFilter{Status: store.ListAll, Paging: store.Paging{Sort: store.SortNewest}}), false, false},
			{"one candidate's complaints", listRows / 100, complaints(store.ComplaintFilter{Status: store.ListAll, Query: fmt.Sprint(b.numbers[someone])}), true, false},
			{"rights queue", count(listRows, func(i int) bool { return !b.rights[i].Status.Closed() }), rights(store.RightsFilter{}), true, false},
			{"closed rights requests", count(listRows, func(i int) bool { return b.rights[i].Status.Closed() }), rights(store.RightsFilter{Status: store.ListClosed}), true, false},
			{"all rights requests, oldest first", listRows, rights(store.RightsFilter{Status: store.ListAll, Paging: store.Paging{Sort: store.SortOldest}}), false, true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { walkList(t, c) })
		}
		for _, bad := range []struct {
			p     store.Paging
			field string
		}{{store.Paging{Sort: "name"}, "sort"}, {store.Paging{Offset: -1}, "offset"}, {store.Paging{Limit: 201}, "limit"}} {
			for _, c := range cases[:1] {
				if _, _, _, err := c.page(bad.p); fieldOrCode(err) != bad.field {
					t.Errorf("%+v: %v, want a refusal naming %s", bad.p, err, bad.field)
				}
			}
		}
		for name, err := range map[string]error{
			"complaint status":  listErr(db.FindComplaints(ctx, b.desk, store.ComplaintFilter{Status: "late"})),
			"rights status":     listErr(db.RightsQueue(ctx, b.privacy, store.RightsFilter{Status: "late"})),
			"placement status":  listErr(db.MunicipalityPlacements(ctx, b.manager, store.PlacementFilter{Status: "late"})),
			"assignment status": listErr(db.FindAssignments(ctx, b.manager, store.AssignmentFilter{Status: "late"})),
			"complaint query":   listErr(db.FindComplaints(ctx, b.desk, store.ComplaintFilter{Query: "Jansen"})),
		} {
			if f := fieldOrCode(err); f != "status" && f != "q" {
				t.Errorf("%s: %v, want a refusal naming the parameter", name, err)
			}
		}
	})
}

// ask is a case's paging with the offset and limit of p, and its order
// when p names one.
func ask(c, p store.Paging) store.Paging {
	if p.Sort == "" {
		p.Sort = c.Sort
	}
	return p
}

// listErr is the error of a list read.
func listErr[T any](_ T, _ store.Page, err error) error { return err }

// walkList reads c page by page and checks the pages against each other.
func walkList(t *testing.T, c listCase) {
	t.Helper()
	// A partial walk reads the first three pages, then the last.
	var all, keys, prefix []string
	last := max(0, c.want-store.MaxLimit)
	for off := 0; ; off += store.MaxLimit {
		if !c.full && off > 2*store.MaxLimit && off < last {
			off = last
		}
		ids, ks, pg, err := c.page(store.Paging{Offset: off, Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total != c.want || pg.Offset != off || pg.Limit != store.MaxLimit {
			t.Fatalf("page at %d: %+v, want a total of %d", off, pg, c.want)
		}
		if len(ids) == 0 {
			break
		}
		if off == len(prefix) {
			prefix = append(prefix, ids...)
		}
		all, keys = append(all, ids...), append(keys, ks...)
	}
	if want := min(c.want, 3*store.MaxLimit) + max(0, c.want-max(last, 3*store.MaxLimit)); !c.full && len(all) != want {
		t.Fatalf("read %d rows of the first and last pages, want %d", len(all), want)
	}
	if c.full && len(all) != c.want {
		t.Fatalf("walked %d rows, want %d", len(all), c.want)
	}
	seen := map[string]bool{}
	for _, id := range all {
		if seen[id] {
			t.Fatalf("%s on two pages", id)
		}
		seen[id] = true
	}
	if c.sorted && !slices.IsSorted(keys) {
		for i := 1; i < len(keys); i++ {
			if keys[i] < keys[i-1] {
				t.Fatalf("out of order at %d: %s after %s", i, keys[i], keys[i-1])
			}
		}
	}
	// A page of the default size, and one across the boundary of the walk's
	// pages, hold the same rows in the same order.
	ids, _, pg, err := c.page(store.Paging{})
	if err != nil || pg.Limit != store.DefaultLimit || !slices.Equal(ids, prefix[:min(c.want, store.DefaultLimit)]) {
		t.Fatalf("first page of the default size: %v %+v", err, pg)
	}
	from := min(c.want, store.MaxLimit-25)
	ids, _, _, err = c.page(store.Paging{Offset: from, Limit: 50})
	if err != nil || !slices.Equal(ids, prefix[from:min(c.want, from+50)]) {
		t.Fatalf("page across a boundary: %v", err)
	}
}

// BenchmarkListPage reads one page of 50 at a random place of each staff
// list over 10,000 rows (newBigLists, and as many candidates of the
// municipality): the count, the page's ids in order,
// the rows, the access decisions and the audit entries of what the page
// shows. It reports the median and the 95th percentile of one page.
func BenchmarkListPage(b *testing.B) {
	for _, d := range storetest.Engines() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			l := newBigLists(b, db)
			l.registerUpTo(b, listRows)
			lists := []struct {
				name string
				read func(p store.Paging) error
			}{
				{"assignments", func(p store.Paging) error {
					_, _, err := db.FindAssignments(ctx, l.manager, store.AssignmentFilter{Paging: p})
					return err
				}},
				{"placements", func(p store.Paging) error {
					_, _, err := db.MunicipalityPlacements(ctx, l.manager, store.PlacementFilter{Paging: p})
					return err
				}},
				{"complaints", func(p store.Paging) error {
					_, _, err := db.FindComplaints(ctx, l.desk, store.ComplaintFilter{Status: store.ListAll, Paging: p})
					return err
				}},
				{"rights", func(p store.Paging) error {
					_, _, err := db.RightsQueue(ctx, l.privacy, store.RightsFilter{Status: store.ListAll, Paging: p})
					return err
				}},
				{"candidates", func(p store.Paging) error {
					_, pg, err := db.CandidatePage(ctx, l.manager, store.CandidateFilter{Sort: p.Sort, Offset: p.Offset, Limit: p.Limit})
					if err == nil && pg.Total != listRows {
						err = fmt.Errorf("%d candidates counted, want %d", pg.Total, listRows)
					}
					return err
				}},
			}
			for _, list := range lists {
				b.Run(list.name, func(b *testing.B) {
					rng := rand.New(rand.NewPCG(1, 2))
					var took []time.Duration
					for b.Loop() {
						t0 := time.Now()
						if err := list.read(store.Paging{Offset: rng.IntN(listRows/store.DefaultLimit) * store.DefaultLimit}); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t0))
					}
					reportPercentiles(b, took)
				})
			}
		})
	}
}
