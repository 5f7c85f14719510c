package redeliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/go-github/v62/github"
)

// Defaults of a sweep.
const (
	// DefaultWindow is how far back a sweep looks. GitHub keeps delivery
	// logs for a few days; a day covers any restart worth surviving.
	DefaultWindow = 24 * time.Hour
	// DefaultMaxRedeliveries bounds one sweep's requests, so that a long
	// outage is caught up over several sweeps within the rate limits.
	DefaultMaxRedeliveries = 200
	// maxPages bounds the listing of one sweep (100 deliveries a page).
	maxPages = 50
)

// Recorded reports whether portico has a delivery (by X-GitHub-Delivery).
type Recorded func(ctx context.Context, guid string) (bool, error)

// Sweeper asks GitHub to redeliver what portico missed.
type Sweeper struct {
	app      *github.Client // authenticated as the App (JWT)
	recorded Recorded
	window   time.Duration
	max      int
	now      func() time.Time
	log      *slog.Logger
}

// New returns a Sweeper using the App client app.
func New(app *github.Client, recorded Recorded, log *slog.Logger) *Sweeper {
	return &Sweeper{app: app, recorded: recorded, window: DefaultWindow, max: DefaultMaxRedeliveries, now: time.Now, log: log}
}

// attempts groups the deliveries of one GUID.
type attempts struct {
	latest    *github.HookDelivery
	succeeded bool
}

// Sweep redelivers the failed deliveries of the window and returns how
// many it asked for.
func (s *Sweeper) Sweep(ctx context.Context) (int, error) {
	byGUID, order, err := s.list(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, guid := range order {
		a := byGUID[guid]
		if a.succeeded || n >= s.max {
			continue
		}
		done, err := s.recorded(ctx, guid)
		if err != nil {
			return n, fmt.Errorf("sweep deliveries: %w", err)
		}
		if done {
			continue
		}
		// GitHub answers 202: the redelivery is scheduled.
		var accepted *github.AcceptedError
		if _, _, err := s.app.Apps.RedeliverHookDelivery(ctx, a.latest.GetID()); err != nil && !errors.As(err, &accepted) {
			return n, fmt.Errorf("redeliver %s: %w", guid, err)
		}
		n++
		s.log.Info("asked GitHub to redeliver a missed webhook", "delivery", guid, "event", a.latest.GetEvent(), "status", a.latest.GetStatusCode())
	}
	return n, nil
}

// list reads the App's deliveries of the window, newest first, grouped by
// GUID: a GUID succeeded when any attempt got a 2xx.
func (s *Sweeper) list(ctx context.Context) (map[string]*attempts, []string, error) {
	byGUID := map[string]*attempts{}
	var order []string
	since := s.now().Add(-s.window)
	opts := &github.ListCursorOptions{PerPage: 100}
	for range maxPages {
		page, resp, err := s.app.Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("list hook deliveries: %w", err)
		}
		old := false
		for _, d := range page {
			if d.GetDeliveredAt().Before(since) {
				old = true
				continue
			}
			a := byGUID[d.GetGUID()]
			if a == nil {
				a = &attempts{latest: d}
				byGUID[d.GetGUID()] = a
				order = append(order, d.GetGUID())
			}
			a.succeeded = a.succeeded || d.GetStatusCode() >= 200 && d.GetStatusCode() < 300
		}
		if old || resp.Cursor == "" {
			break
		}
		opts.Cursor = resp.Cursor
	}
	return byGUID, order, nil
}
