// Package jobs owns portico's durable work: recording webhook deliveries
// with the jobs they cause, and running those jobs with River on the
// database that package store opens.
//
// Accepting. Queue.Record puts a delivery and its jobs in the inbox, a
// second SQLite file (see package store), and returns only after that
// commit, so a caller that answers 2xx afterwards never loses the
// delivery. River never writes to the inbox, so acceptance never waits
// for River's completer or producer, which hold portico.db's one write
// connection (and SQLite's database-wide write lock) for milliseconds at a
// time while jobs drain. A delivery id already in the inbox, repeated in
// the same commit, or already in portico.db is reported as a duplicate and
// has no effect. The payload is stored zstd-compressed (GitHub's 24 KB
// pull_request payloads take about 2.3 KB), in the inbox and then, the
// same bytes, in deliveries.payload: read it back with DecodePayload. Jobs
// are kept as their kind and JSON args; Record refuses a kind with no
// worker, and dispatch decodes the args into the kind's own type, so River
// inserts exactly what Record was given (InsertOpts and unique-by-args
// included). Commits are grouped: one writer goroutine per file takes what
// arrived while its previous commit was being fsynced and commits it as
// one transaction, which is what lets a single SQLite file take thousands
// of durable deliveries a second.
//
// Dispatching. One goroutine, woken by every acceptance commit (and at
// Start, for what a previous process left), moves the inbox into
// portico.db in batches: in one transaction on portico.db's writer it
// inserts the deliveries (ON CONFLICT DO NOTHING) and, for those actually
// inserted, their River jobs and delivery_jobs bookkeeping, with one
// multi-row statement and one River insert, in which equal unique jobs of
// several deliveries (a burst for one pull request head) go once; if that
// fails, each delivery is stored alone in its own savepoint, so that one
// delivery's failure stays its own (it stays in the inbox and is retried a
// second later). Only after that commit are the rows deleted from the
// inbox. A crash in between leaves rows that the next pass finds already
// stored: they insert nothing. So a delivery's jobs are created once. Passes
// start at least 10 ms apart, so that under load one pass carries many
// deliveries; jobs start within milliseconds of acceptance. A redelivery
// that races the dispatch of its first copy can be accepted again rather
// than reported duplicate; its dispatch then inserts nothing.
//
// Running. Handle (or HandleWorker) registers a River worker per job kind,
// before Start. Every job runs through the same steps:
//
//   - Serialization: job args that implement Serialized name a key ("pr:
//     owner/repo@sha", "repo:owner/repo"); the job holds a lease on that key
//     in job_keys while it runs, renewed at a third of its length, and a job
//     whose key is held by another is snoozed (river.JobSnooze, which costs
//     no attempt). A process that dies stops renewing and the key frees
//     itself when the lease runs out. Serialization is not ordering: two
//     jobs on one key run one after the other, in either order.
//   - Retries are River's: errors retry with its backoff up to MaxAttempts
//     (Options.MaxAttempts by default, or the args' own InsertOpts);
//     river.JobCancel ends a job for good.
//   - Superseded: a handler whose work no longer decides anything (a check
//     for a head the pull request has moved past) returns Superseded(reason).
//     River completes the job (no retry, key released); portico records
//     it as superseded, in delivery_jobs and in the job metrics.
//   - Tracing: a job inserted with a delivery carries the delivery's id in
//     River's job metadata (which unique-by-args ignores), and its context
//     hands it to DeliveryID and Logger, so that a handler's log lines lead
//     back to the webhook. Periodic and follow-up jobs have none.
//   - Success releases the key and settles the delivery's bookkeeping in
//     one transaction through the group-committing writer, just before
//     River records the job completed. A crash between the two makes River
//     run the job again, which handlers (idempotent) and the bookkeeping
//     (idempotent) absorb; doing it inside River's completion would cost a
//     second completion per job.
//
// Queues. Jobs run on two River queues, each with its own workers in
// every process: river.QueueDefault (Options.MaxWorkers, 16 by default)
// for bulk work such as catalog syncs, and QueueInteractive
// (Options.InteractiveWorkers, 8) for jobs someone is waiting on, such as
// a pull request check. River's priorities order what a queue fetches but
// do not free a worker, so on a single queue sixteen slow syncs would make
// a check wait for one of them to end. Job args choose the queue through
// their own InsertOpts().Queue. The periodic prune job runs on the default
// queue at priority 4, the lowest.
//
// Deliveries are marked processed automatically rather than by handlers:
// each job inserted with a delivery is tracked in delivery_jobs, and when
// the last of them finishes (completed, superseded, cancelled, or out of
// attempts) the delivery gets processed_at and an outcome: failed if any
// job was cancelled or ran out of attempts, superseded if every job was
// superseded, completed otherwise. A delivery recorded with no jobs of its
// own is processed at once with outcome ignored. Handlers need do nothing.
//
// Durability. An accepted delivery is a row in the inbox, committed before
// Record returns, until its jobs are rows in River's tables, committed
// before the inbox row goes. A process killed mid-job leaves the job running in the table;
// River's rescuer, on whichever process leads, makes it retryable once
// RescueStuckJobsAfter (and the kind's timeout) have passed. Handlers must
// therefore be idempotent: portico promises every job is run to completion,
// not that it runs once.
//
// Lifecycle. New, then Handle for every kind, then Start; on shutdown stop
// accepting deliveries first, then Stop, which lets running jobs finish
// until its context ends, interrupts the rest (they are snoozed, not
// failed, and run again on the next start), then refuses deliveries,
// dispatches the inbox, and finally drains the writers.
package jobs
