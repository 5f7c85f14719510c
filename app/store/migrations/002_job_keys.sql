-- Serialization-key leases: at most one job per key (one pull request head,
-- one repository) runs at a time across every worker and process sharing
-- the database. A running job renews lease_until; a process that dies
-- stops renewing, and the key frees itself when the lease runs out.
--
-- lease_until is Unix epoch milliseconds rather than a TIMESTAMP so that
-- both dialects compare it as a plain number, with no text format or time
-- zone in the way. The lease clock is the workers' own, so hosts sharing a
-- PostgreSQL database need synchronised clocks (skew eats into the lease).
CREATE TABLE job_keys (
    key         TEXT   PRIMARY KEY,
    job_id      BIGINT NOT NULL,
    lease_until BIGINT NOT NULL
);
