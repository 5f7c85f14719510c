// Package server wires `portico serve`: the database and durable queue,
// the GitHub App clients, the webhook receiver and the pull request check,
// the first-run setup page, and the operational endpoints (/healthz,
// /readyz, /metrics). It owns startup order and graceful shutdown.
package server
