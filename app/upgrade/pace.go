package upgrade

import (
	"sync"
	"time"
)

// Pacing defaults: two repositories at once and sixty an hour. At five
// writes per pull request that is 300 content writes an hour, within the
// three quarters of GitHub's 500 an hour that bulk work may use (see
// app/gh), leaving the rest to pull request checks and catalog syncs.
const (
	DefaultConcurrency = 2
	DefaultPerHour     = 60
)

// pacer admits jobs at a steady rate with a burst of a minute's worth
// (the generic cell rate algorithm): per hour in any hour, never more
// than burst at once after a quiet spell. It lives in the process: each
// replica paces its own jobs.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration // between two jobs; 0 admits everything
	tau      time.Duration // how far ahead of now the schedule may run
	tat      time.Time     // when the next job is due on the steady schedule
}

func newPacer(perHour int) *pacer {
	if perHour <= 0 {
		return &pacer{}
	}
	burst := max(1, perHour/60)
	interval := time.Hour / time.Duration(perHour)
	return &pacer{interval: interval, tau: time.Duration(burst-1) * interval}
}

// take admits a job now, or says how long to wait.
func (p *pacer) take(now time.Time) (time.Duration, bool) {
	if p.interval == 0 {
		return 0, true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	tat := p.tat
	if tat.Before(now) {
		tat = now
	}
	if wait := tat.Sub(now) - p.tau; wait > 0 {
		return wait, false
	}
	p.tat = tat.Add(p.interval)
	return 0, true
}
