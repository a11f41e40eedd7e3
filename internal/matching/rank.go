package matching

import (
	"cmp"
	"container/heap"
	"runtime"
	"slices"
	"sync"
)

// minShard is the bucket size below which a ranking runs on one goroutine:
// starting more costs more than it saves.
const minShard = 16384

// Rank ranks the candidates of the assignment's municipality: it excludes
// those failing a hard constraint and returns the K best of the rest by
// score, ties by candidate ID, each with its checks and criteria. With
// opt.IncludeExcluded the excluded ones follow, by ID, with their checks.
// The scan runs on GOMAXPROCS shards, each keeping its own top K; the
// merge sorts their union by the same total order, so the result does not
// depend on the sharding or the order candidates were added in.
func (x *Index) Rank(a Assignment, w Weights, opt Options) (*Ranking, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if err := validateAssignment(&a); err != nil {
		return nil, err
	}
	k := opt.k()
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := &Ranking{ExcludedBy: map[Rule]int{}, Results: []Result{}}
	bi, ok := x.munis[a.Municipality]
	if !ok {
		return out, nil
	}
	b, q := x.buckets[bi], x.newQuery(&a, w, opt)
	shards := scanShards(q, b, k, opt.IncludeExcluded)
	var top []hit
	var excluded []int32
	for _, s := range shards {
		top = append(top, s.top.hits...)
		excluded = append(excluded, s.excluded...)
		for r, n := range s.counts {
			if n > 0 {
				out.ExcludedBy[Rules[r]] += n
			}
		}
	}
	slices.SortFunc(top, func(p, r hit) int { return b.compare(p, r) })
	out.Considered = len(b.ids)
	out.Eligible = out.Considered
	for _, n := range out.ExcludedBy {
		out.Eligible -= n
	}
	for _, h := range top[:min(k, len(top))] {
		out.Results = append(out.Results, q.explain(b, int(h.slot)))
	}
	slices.SortFunc(excluded, func(i, j int32) int { return cmp.Compare(b.ids[i], b.ids[j]) })
	named := 0
	for _, i := range excluded {
		if opt.MaxExcluded > 0 && named == opt.MaxExcluded {
			break
		}
		r := q.explain(b, int(i))
		if firstFailed(r.Checks) != RuleRestricted {
			named++
		}
		out.Excluded = append(out.Excluded, r)
	}
	return out, nil
}

// Explain returns one candidate's result for an assignment, wherever the
// candidate lives ("why is this candidate not proposed?"); false when the
// candidate is not indexed.
func (x *Index) Explain(candidateID string, a Assignment, w Weights, opt Options) (Result, bool, error) {
	if err := w.Validate(); err != nil {
		return Result{}, false, err
	}
	if err := validateAssignment(&a); err != nil {
		return Result{}, false, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	ref, ok := x.where[candidateID]
	if !ok {
		return Result{}, false, nil
	}
	return x.newQuery(&a, w, opt).explain(x.buckets[ref.bucket], int(ref.slot)), true, nil
}

// RankAssignments is the reverse ranking: the open assignments (the
// caller's selection) ranked for one candidate with the same constraints,
// criteria and weights; ties by assignment ID.
func RankAssignments(c Candidate, assignments []Assignment, w Weights, opt Options) (*Ranking, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	x := NewIndex()
	if err := x.Add(c); err != nil {
		return nil, err
	}
	b := x.buckets[0]
	out := &Ranking{ExcludedBy: map[Rule]int{}, Results: []Result{}}
	for i := range assignments {
		a := &assignments[i]
		if err := validateAssignment(a); err != nil {
			return nil, err
		}
		r := x.newQuery(a, w, opt).explain(b, 0)
		out.Considered++
		if !r.Excluded {
			out.Results = append(out.Results, r)
			continue
		}
		out.ExcludedBy[firstFailed(r.Checks)]++
		if opt.IncludeExcluded {
			out.Excluded = append(out.Excluded, r)
		}
	}
	out.Eligible = len(out.Results)
	slices.SortFunc(out.Results, func(p, r Result) int {
		return cmp.Or(cmp.Compare(r.Score, p.Score), cmp.Compare(p.AssignmentID, r.AssignmentID))
	})
	out.Results = out.Results[:min(opt.k(), len(out.Results))]
	slices.SortFunc(out.Excluded, func(p, r Result) int { return cmp.Compare(p.AssignmentID, r.AssignmentID) })
	return out, nil
}

// k returns the number of results asked, DefaultK unless positive.
func (o Options) k() int {
	if o.K <= 0 {
		return DefaultK
	}
	return o.K
}

func firstFailed(cs []Check) Rule {
	for _, c := range cs {
		if !c.Passed {
			return c.Rule
		}
	}
	return ""
}

// hit is a scored candidate slot.
type hit struct {
	score float64
	slot  int32
}

// compare orders hits best first: higher score, then lower ID.
func (b *bucket) compare(p, r hit) int {
	return cmp.Or(cmp.Compare(r.score, p.score), cmp.Compare(b.ids[p.slot], b.ids[r.slot]))
}

// topK keeps the k best hits in a heap whose root is the worst of them.
type topK struct {
	b    *bucket
	k    int
	hits []hit
}

func (t *topK) Len() int           { return len(t.hits) }
func (t *topK) Less(i, j int) bool { return t.b.compare(t.hits[i], t.hits[j]) > 0 }
func (t *topK) Swap(i, j int)      { t.hits[i], t.hits[j] = t.hits[j], t.hits[i] }
func (t *topK) Push(v any)         { t.hits = append(t.hits, v.(hit)) }
func (t *topK) Pop() any {
	v := t.hits[len(t.hits)-1]
	t.hits = t.hits[:len(t.hits)-1]
	return v
}

// offer adds h when it beats the worst kept hit.
func (t *topK) offer(h hit) {
	if len(t.hits) < t.k {
		heap.Push(t, h)
	} else if t.b.compare(h, t.hits[0]) < 0 {
		t.hits[0] = h
		heap.Fix(t, 0)
	}
}

// nRules is len(Rules), as a constant for arrays.
const nRules = 13

type shard struct {
	top      topK
	counts   [nRules]int // excluded candidates by first failed rule
	excluded []int32
}

// scanShards scores bucket b on up to GOMAXPROCS goroutines over
// contiguous slot ranges.
func scanShards(q *query, b *bucket, k int, keepExcluded bool) []*shard {
	n := len(b.ids)
	p := 1
	if n >= minShard {
		p = runtime.GOMAXPROCS(0)
	}
	shards := make([]*shard, p)
	var wg sync.WaitGroup
	for s := range p {
		shards[s] = &shard{top: topK{b: b, k: k}}
		lo, hi := n*s/p, n*(s+1)/p
		wg.Go(func() { shards[s].scan(q, b, lo, hi, keepExcluded) })
	}
	wg.Wait()
	return shards
}

// scan is the hot loop: hard constraints first (cheapest first), the soft
// score only for the eligible.
func (s *shard) scan(q *query, b *bucket, lo, hi int, keepExcluded bool) {
	for i := lo; i < hi; i++ {
		c2 := chord2(&b.pos[i], &q.pos)
		if r := q.firstFail(b, i, c2); r >= 0 {
			s.counts[r]++
			if keepExcluded {
				s.excluded = append(s.excluded, int32(i))
			}
			continue
		}
		sc := q.score(b, i, c2)
		s.top.offer(hit{q.total(&sc), int32(i)})
	}
}
