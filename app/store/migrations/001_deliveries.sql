-- Deliveries: every GitHub webhook delivery portico accepted, committed
-- before the 2xx. The primary key is X-GitHub-Delivery, which is what makes
-- a redelivery a no-op.
--
-- Dialects: written for SQLite and PostgreSQL alike except where noted.
-- payload is BLOB here; PostgreSQL spells it BYTEA. Timestamps are always
-- written in UTC; SQLite stores TIMESTAMP as text, PostgreSQL would use
-- TIMESTAMPTZ.
CREATE TABLE deliveries (
    id              TEXT      PRIMARY KEY,
    event           TEXT      NOT NULL,
    action          TEXT,
    installation_id BIGINT,
    repository      TEXT,
    payload         BLOB      NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    processed_at    TIMESTAMP,
    outcome         TEXT      NOT NULL
);

-- Retention and "what arrived when" both walk received_at.
CREATE INDEX deliveries_received_at_idx ON deliveries (received_at);

-- A sweeper looking for deliveries still in flight reads only those rows.
CREATE INDEX deliveries_unprocessed_idx ON deliveries (received_at)
    WHERE processed_at IS NULL;

-- The jobs a delivery is waiting for: one row per River job inserted with
-- it, outcome NULL until the job finishes. The row is how finishing stays
-- idempotent (a job rescued after a crash cannot count twice), and the
-- delivery's rows are deleted once all have finished, so the table holds
-- only work in flight. No foreign key to river_job: River owns that table
-- and rebuilds it in its own migrations.
CREATE TABLE delivery_jobs (
    job_id      BIGINT PRIMARY KEY,
    delivery_id TEXT   NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    outcome     TEXT
);

CREATE INDEX delivery_jobs_delivery_idx ON delivery_jobs (delivery_id);
