package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/store"
)

// QueueInteractive is the River queue for jobs someone is waiting on (a
// pull request check), with its own workers: River's priorities only order
// fetching, so on one queue a burst of slow bulk jobs (catalog syncs) would
// hold every worker while an interactive job waits. Job args choose it
// through their own InsertOpts().Queue; everything else runs on
// river.QueueDefault.
const QueueInteractive = "interactive"

// Defaults for Options' zero values.
const (
	DefaultMaxWorkers         = 16
	DefaultInteractiveWorkers = 8
	DefaultMaxAttempts        = 10 // River's backoff (attempt⁴ s) spreads 10 attempts over about 4 hours
	DefaultJobTimeout         = time.Minute
	DefaultKeyLease           = 30 * time.Second
	DefaultKeyBusySnooze      = 500 * time.Millisecond
	DefaultMaxBatch           = 256
	DefaultMaxBatchBytes      = 16 << 20
	DefaultDeliveryRetention  = 7 * 24 * time.Hour
	DefaultHardStopTimeout    = 5 * time.Second
)

// Options tune a Queue. The zero value is a sensible production setup.
type Options struct {
	// Logger is River's logger and this package's. Nil means slog.Default().
	Logger *slog.Logger
	// Registerer receives the queue's metrics. Nil means they are kept on a
	// private registry that nothing scrapes.
	Registerer prometheus.Registerer
	// MaxWorkers is how many jobs of river.QueueDefault run at once in
	// this process.
	MaxWorkers int
	// InteractiveWorkers is how many jobs of QueueInteractive run at once
	// in this process, besides MaxWorkers.
	InteractiveWorkers int
	// MaxAttempts is the default number of attempts per job; job args
	// override it through InsertOpts.
	MaxAttempts int
	// JobTimeout cancels a job's context after this long; a worker's own
	// Timeout overrides it per kind.
	JobTimeout time.Duration
	// RescueStuckJobsAfter is how long a job may stay running before the
	// rescuer takes it for dead (its process killed) and retries it. It
	// must exceed JobTimeout. Zero means JobTimeout plus one minute: River's
	// own default, an hour, would hold a pull request check that long after
	// a crash.
	RescueStuckJobsAfter time.Duration
	// KeyLease is how long a serialization-key lease lasts unrenewed, which
	// is how long a key stays blocked after its holder's process dies.
	KeyLease time.Duration
	// KeyBusySnooze is how long a job waits before trying a busy key again.
	KeyBusySnooze time.Duration
	// MaxBatch and MaxBatchBytes bound one group commit, in operations and
	// in payload bytes.
	MaxBatch      int
	MaxBatchBytes int
	// DeliveryRetention is how long processed deliveries are kept; a
	// periodic job deletes older ones. Negative keeps them forever.
	DeliveryRetention time.Duration
	// HardStopTimeout is how long Stop waits, once its context has ended,
	// for interrupted jobs to return.
	HardStopTimeout time.Duration
	// River, if set, has the last word on River's configuration (tests
	// shorten intervals with it).
	River func(*river.Config)
}

func (o Options) withDefaults() Options {
	o.Logger = cmp.Or(o.Logger, slog.Default())
	o.MaxWorkers = cmp.Or(o.MaxWorkers, DefaultMaxWorkers)
	o.InteractiveWorkers = cmp.Or(o.InteractiveWorkers, DefaultInteractiveWorkers)
	o.MaxAttempts = cmp.Or(o.MaxAttempts, DefaultMaxAttempts)
	o.JobTimeout = cmp.Or(o.JobTimeout, DefaultJobTimeout)
	o.RescueStuckJobsAfter = cmp.Or(o.RescueStuckJobsAfter, o.JobTimeout+time.Minute)
	o.KeyLease = cmp.Or(o.KeyLease, DefaultKeyLease)
	o.KeyBusySnooze = cmp.Or(o.KeyBusySnooze, DefaultKeyBusySnooze)
	o.MaxBatch = cmp.Or(o.MaxBatch, DefaultMaxBatch)
	o.MaxBatchBytes = cmp.Or(o.MaxBatchBytes, DefaultMaxBatchBytes)
	o.DeliveryRetention = cmp.Or(o.DeliveryRetention, DefaultDeliveryRetention)
	o.HardStopTimeout = cmp.Or(o.HardStopTimeout, DefaultHardStopTimeout)
	return o
}

// Queue lifecycle states.
const (
	stateNew int32 = iota
	stateStarted
	stateStopped
)

// Queue records deliveries and runs their jobs.
type Queue struct {
	db       *store.DB
	client   *river.Client[*sql.Tx]
	workers  *river.Workers
	writer   *writer // portico.db
	inbox    *writer // inbox.db
	dispatch *dispatcher
	accept   *acceptStmts
	decoders sync.Map // job kind to its decoder
	metrics  *metrics
	opts     Options
	state    atomic.Int32
	hardStop atomic.Bool
}

// New builds a queue on db. Register workers with Handle, then Start. The
// group-committing writers and the dispatcher run from New on, so Record
// works before Start (jobs wait in the table) once their kinds are
// handled; Stop ends them. Start dispatches whatever a previous process
// left in the inbox.
func New(db *store.DB, opts Options) (*Queue, error) {
	opts = opts.withDefaults()
	m, err := newMetrics(opts.Registerer, db.ReadOnly())
	if err != nil {
		return nil, err
	}
	q := &Queue{db: db, workers: river.NewWorkers(), metrics: m, opts: opts}
	periodic := q.registerPrune()
	q.client, err = river.NewClient(db.RiverDriver(), q.riverConfig(periodic))
	if err != nil {
		return nil, fmt.Errorf("create River client: %w", err)
	}
	if q.accept, err = prepareAccept(context.Background(), db); err != nil {
		return nil, err
	}
	q.writer = newWriter(db.SQL(), q.recordAll, opts.MaxBatch, opts.MaxBatchBytes, m.observeBatch)
	q.inbox = newWriter(db.Inbox(), q.acceptAll, opts.MaxBatch, opts.MaxBatchBytes, m.observeInboxBatch)
	q.dispatch = newDispatcher(q)
	return q, nil
}

func (q *Queue) riverConfig(periodic []*river.PeriodicJob) *river.Config {
	cfg := &river.Config{
		Logger:               q.opts.Logger,
		MaxAttempts:          q.opts.MaxAttempts,
		JobTimeout:           q.opts.JobTimeout,
		RescueStuckJobsAfter: q.opts.RescueStuckJobsAfter,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: q.opts.MaxWorkers},
			QueueInteractive:   {MaxWorkers: q.opts.InteractiveWorkers},
		},
		Workers:      q.workers,
		PeriodicJobs: periodic,
	}
	if q.opts.River != nil {
		q.opts.River(cfg)
	}
	return cfg
}

// Client returns the River client, for what this package does not wrap:
// listing jobs, inserting follow-up jobs from a handler, cancelling.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// Start starts working jobs. ctx's values reach every job, but cancelling
// it does not stop the queue: Stop does, so that shutdown can drain.
func (q *Queue) Start(ctx context.Context) error {
	if !q.state.CompareAndSwap(stateNew, stateStarted) {
		return errors.New("start queue: already started or stopped")
	}
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start queue: %w", err)
	}
	q.dispatch.notify()
	return nil
}

// Stop shuts the queue down: it stops fetching jobs, waits for running
// jobs until ctx ends, then cancels those still running (they are snoozed
// and run again on the next start) and waits up to HardStopTimeout for
// them to return. Finally it refuses new deliveries, commits those already
// accepted, dispatches the inbox into portico.db (until ctx ends, or for
// HardStopTimeout if it already has; what is left stays in the inbox for
// the next start) and commits the remaining writes: stop feeding Record
// before calling Stop.
func (q *Queue) Stop(ctx context.Context) error {
	prev := q.state.Swap(stateStopped)
	if prev == stateStopped {
		return nil
	}
	var err error
	if prev == stateStarted {
		err = q.stopClient(ctx)
	}
	q.inbox.stop()
	q.accept.close()
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), q.opts.HardStopTimeout)
		defer cancel()
	}
	if derr := q.dispatch.stop(ctx); derr != nil {
		q.opts.Logger.WarnContext(ctx, "jobs: stop: inbox not drained", "error", derr)
	}
	q.writer.stop()
	return err
}

func (q *Queue) stopClient(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	q.hardStop.Store(true)
	q.opts.Logger.WarnContext(ctx, "jobs: drain deadline passed; interrupting running jobs")
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), q.opts.HardStopTimeout)
	defer cancel()
	if err := q.client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("stop queue: jobs still running after cancellation: %w", err)
	}
	return nil
}

// ErrNotRunning is returned by Ready before Start and after Stop.
var ErrNotRunning = errors.New("jobs: queue not running")

// Ready reports whether the queue can take and work jobs: started, not
// stopped, and its database answering. It backs /readyz.
func (q *Queue) Ready(ctx context.Context) error {
	if q.state.Load() != stateStarted {
		return ErrNotRunning
	}
	select {
	case <-q.client.Stopped():
		return ErrNotRunning
	default:
	}
	return q.db.Ping(ctx)
}
