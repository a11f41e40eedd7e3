package matching

// spans stores one variable-length list per slot in a single backing
// array (offset + length per slot) instead of a slice per candidate: at a
// million candidates that saves a slice header and a heap object per list,
// which is both memory and garbage-collector work. Updating a list in place
// reuses its room when it fits; otherwise it moves to the end and the old
// room becomes garbage, reclaimed by compact once it is half the array.
type spans[T any] struct {
	data    []T
	off     []uint32
	n       []uint16
	garbage int
}

func (s *spans[T]) get(i int) []T {
	o := s.off[i]
	return s.data[o : o+uint32(s.n[i])]
}

func (s *spans[T]) add(v []T) {
	s.off = append(s.off, uint32(len(s.data)))
	s.n = append(s.n, uint16(len(v)))
	s.data = append(s.data, v...)
}

func (s *spans[T]) set(i int, v []T) {
	if len(v) <= int(s.n[i]) {
		copy(s.data[s.off[i]:], v)
		s.garbage += int(s.n[i]) - len(v)
	} else {
		s.garbage += int(s.n[i])
		s.off[i] = uint32(len(s.data))
		s.data = append(s.data, v...)
	}
	s.n[i] = uint16(len(v))
	s.maybeCompact()
}

// swapRemove drops slot i by moving the last slot into it, as the bucket
// does with its other columns.
func (s *spans[T]) swapRemove(i int) {
	last := len(s.off) - 1
	s.garbage += int(s.n[i])
	s.off[i], s.n[i] = s.off[last], s.n[last]
	s.off, s.n = s.off[:last], s.n[:last]
	s.maybeCompact()
}

func (s *spans[T]) maybeCompact() {
	if s.garbage < 1024 || s.garbage < len(s.data)/2 {
		return
	}
	data := make([]T, 0, len(s.data)-s.garbage)
	for i := range s.off {
		v := s.get(i)
		s.off[i] = uint32(len(data))
		data = append(data, v...)
	}
	s.data, s.garbage = data, 0
}
