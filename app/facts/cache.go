package facts

import (
	"context"
	"sync"
)

// Cache holds the facts of each repository and commit, gathered once
// even when many entities of the same repository ask at the same time.
// Keys are the caller's: owner/name@sha in App mode, directory@HEAD in
// CLI mode. It is safe for concurrent use; the zero value is empty.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	once sync.Once
	repo Repository
	err  error
}

// Get returns the facts cached under key, calling gather for them the
// first time. A failed gather is cached too: within one run, asking
// again would fail again and cost another request.
func (c *Cache) Get(ctx context.Context, key string, gather func(context.Context) (Repository, error)) (Repository, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*entry{}
	}
	e := c.entries[key]
	if e == nil {
		e = &entry{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.repo, e.err = gather(ctx) })
	return e.repo, e.err
}
