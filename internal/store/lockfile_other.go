//go:build !unix

package store

import (
	"context"
	"sync"
)

// fileLocks stands in for flock where there is none: it orders the
// migrations of one process only; several processes on one SQLite file
// are then not supported.
var fileLocks sync.Map

func lockFile(_ context.Context, path string) (func(), error) {
	m, _ := fileLocks.LoadOrStore(path, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock, nil
}
