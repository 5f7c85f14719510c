// Package jobs owns portico's durable work: recording webhook deliveries
// with the jobs they cause, and running those jobs with River on the
// database that package store opens.
//
// Recording. Queue.Record stores a delivery and inserts its jobs in one
// transaction and returns only after that transaction has committed, so a
// caller that answers 2xx afterwards never loses the delivery. A delivery
// id seen before is reported as a duplicate and inserts nothing. Commits
// are grouped: one writer goroutine owns every portico write, takes what
// arrived while its previous commit was being fsynced, and commits it as one
// transaction. The batch's deliveries go in with one multi-row statement
// and their jobs with one River insert; if that fails, it is rolled back
// and each caller's part is written alone in its own savepoint, so that one
// caller's failure stays its own. One fsync and a handful of statements
// then serve a whole batch, which is what lets a single SQLite file take
// thousands of durable deliveries a second.
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
//   - Success releases the key and settles the delivery's bookkeeping in
//     one transaction through the group-committing writer, just before
//     River records the job completed. A crash between the two makes River
//     run the job again, which handlers (idempotent) and the bookkeeping
//     (idempotent) absorb; doing it inside River's completion would cost a
//     second completion per job.
//
// Deliveries are marked processed automatically rather than by handlers:
// each job inserted with a delivery is tracked in delivery_jobs, and when
// the last of them finishes (completed, cancelled, or out of attempts) the
// delivery gets processed_at and an outcome: completed when every job
// completed, failed otherwise. A delivery recorded with no jobs of its own
// is processed at once with outcome ignored. Handlers need do nothing.
//
// Durability. Jobs are rows in River's tables, committed before Record
// returns. A process killed mid-job leaves the job running in the table;
// River's rescuer, on whichever process leads, makes it retryable once
// RescueStuckJobsAfter (and the kind's timeout) have passed. Handlers must
// therefore be idempotent: portico promises every job is run to completion,
// not that it runs once.
//
// Lifecycle. New, then Handle for every kind, then Start; on shutdown stop
// accepting deliveries first, then Stop, which lets running jobs finish
// until its context ends, interrupts the rest (they are snoozed, not
// failed, and run again on the next start), and finally drains the writer.
package jobs
