// Package checkruntest is a plain, in-memory stand-in for GitHub's checks
// API (checkrun.API), for unit tests of the publisher and of the flows
// that publish through it.
package checkruntest

import (
	"context"
	"fmt"
	"sync"

	"github.com/portico-dev/portico/app/checkrun"
)

// API keeps check runs in memory and counts every write. It does what
// GitHub does with a request: fields given replace the run's, annotations
// are appended; it panics on a request GitHub would refuse (more than 50
// annotations, a summary over the limit), which is a bug in the caller.
type API struct {
	mu     sync.Mutex
	runs   []*Run
	writes []string
}

// Run is a check run as the fake holds it.
type Run struct {
	ID          int64
	Target      checkrun.Target
	Status      string
	Conclusion  checkrun.Conclusion
	Title       string
	Summary     string
	Annotations []checkrun.Annotation
}

// FindRun implements checkrun.API.
func (f *API) FindRun(_ context.Context, t checkrun.Target) (*checkrun.Run, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.runs) - 1; i >= 0; i-- {
		if r := f.runs[i]; r.Target == t {
			return &checkrun.Run{ID: r.ID, Status: r.Status, AnnotationsCount: len(r.Annotations)}, nil
		}
	}
	return nil, nil
}

// CreateRun implements checkrun.API.
func (f *API) CreateRun(_ context.Context, t checkrun.Target, req checkrun.RunRequest) (checkrun.Run, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &Run{ID: int64(len(f.runs) + 1), Target: t}
	f.runs = append(f.runs, r)
	apply(r, req)
	f.writes = append(f.writes, fmt.Sprintf("create %d", r.ID))
	return checkrun.Run{ID: r.ID, Status: r.Status}, nil
}

// UpdateRun implements checkrun.API.
func (f *API) UpdateRun(_ context.Context, _ checkrun.Target, id int64, req checkrun.RunRequest) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id < 1 || int(id) > len(f.runs) {
		return fmt.Errorf("check run %d not found", id)
	}
	apply(f.runs[id-1], req)
	f.writes = append(f.writes, fmt.Sprintf("update %d", id))
	return nil
}

// ListAnnotations implements checkrun.API.
func (f *API) ListAnnotations(_ context.Context, _ checkrun.Target, id int64) ([]checkrun.Annotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]checkrun.Annotation(nil), f.runs[id-1].Annotations...), nil
}

func apply(r *Run, req checkrun.RunRequest) {
	if req.Status != "" {
		r.Status = req.Status
	}
	if req.Conclusion != "" {
		r.Conclusion = req.Conclusion
	}
	o := req.Output
	if o == nil {
		return
	}
	if len(o.Annotations) > checkrun.AnnotationsPerRequest || len(o.Summary) > checkrun.SummaryLimit {
		panic("a request GitHub refuses: more than 50 annotations or a summary over the limit")
	}
	r.Title, r.Summary = o.Title, o.Summary
	r.Annotations = append(r.Annotations, o.Annotations...)
}

// Put adds a run as if an earlier attempt had made it.
func (f *API) Put(r Run) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r.ID = int64(len(f.runs) + 1)
	f.runs = append(f.runs, &r)
}

// Runs returns copies of the runs, oldest first.
func (f *API) Runs() []Run {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Run, len(f.runs))
	for i, r := range f.runs {
		out[i] = *r
		out[i].Annotations = append([]checkrun.Annotation(nil), r.Annotations...)
	}
	return out
}

// Writes lists the writes in order, as "create ID" and "update ID".
func (f *API) Writes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.writes...)
}
