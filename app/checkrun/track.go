package checkrun

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotNeeded, wrapped in the error that Track's work returns, says the
// check no longer decides anything (its pull request moved on to another
// commit): nothing is published, and a run Track showed in progress is
// completed neutral with the error's text, so that no run stays in
// progress for ever.
var ErrNotNeeded = errors.New("check no longer needed")

// Track runs work and publishes the output it returns. Work that takes
// longer than Config.InProgressAfter gets a run in progress meanwhile, so
// people see the check started; quicker work costs one write in all. An
// error from work is returned as is, and an in-progress run it leaves
// behind is completed by the next attempt.
func (p *Publisher) Track(ctx context.Context, t Target, work func(context.Context) (Output, error)) (Published, error) {
	tr := &tracker{p: p, t: t}
	timer := time.AfterFunc(p.cfg.InProgressAfter, func() { tr.start(ctx) })
	out, err := work(ctx)
	timer.Stop()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.done = true
	if errors.Is(err, ErrNotNeeded) && tr.run != nil && tr.run.Status == StatusInProgress {
		return tr.close(ctx, err)
	}
	if err != nil {
		return Published{}, err
	}
	if !tr.found {
		if err := tr.find(ctx); err != nil {
			return Published{}, err
		}
	}
	res, err := p.publish(ctx, t, out, tr.run)
	res.Writes += tr.writes
	return res, err
}

// tracker is one Track call's view of its run.
type tracker struct {
	p      *Publisher
	t      Target
	mu     sync.Mutex
	done   bool // work finished: no more in-progress marking
	found  bool // run is what GitHub holds
	run    *Run
	writes int
}

// start shows the run in progress, reusing the run t already has. A
// failure here is not the check's: the run is looked for again when the
// work is done.
func (tr *tracker) start(ctx context.Context) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.done {
		return
	}
	if !tr.found && tr.find(ctx) != nil {
		return
	}
	if tr.run != nil && tr.run.Status == StatusInProgress {
		return
	}
	req := RunRequest{Status: StatusInProgress, StartedAt: tr.p.now()}
	if tr.run != nil {
		if tr.p.api.UpdateRun(ctx, tr.t, tr.run.ID, req) == nil {
			tr.writes++
		}
		return
	}
	run, err := tr.p.api.CreateRun(ctx, tr.t, req)
	if err != nil {
		tr.found = false // it may have been created: look again
		return
	}
	tr.run, tr.writes = &run, tr.writes+1
}

func (tr *tracker) find(ctx context.Context) error {
	run, err := tr.p.api.FindRun(ctx, tr.t)
	if err != nil {
		return fmt.Errorf("find check run %s: %w", tr.t, err)
	}
	tr.run, tr.found = run, true
	return nil
}

// close completes the run shown in progress for work that turned out not
// to be needed, and returns why.
func (tr *tracker) close(ctx context.Context, why error) (Published, error) {
	out := RunOutput{Title: "Not needed", Summary: "This check stopped before it finished: " + why.Error() + "."}
	req := RunRequest{Status: StatusCompleted, Conclusion: Neutral, CompletedAt: tr.p.now(), Output: &out}
	if err := tr.p.api.UpdateRun(ctx, tr.t, tr.run.ID, req); err != nil {
		return Published{}, errors.Join(why, fmt.Errorf("close check run %s: %w", tr.t, err))
	}
	return Published{RunID: tr.run.ID, Writes: tr.writes + 1}, why
}
