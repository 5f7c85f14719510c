// Package scorereport renders scorecard results for people and programs:
// `portico score` as text, JSON (a stable shape that pipelines read) and
// Markdown. It owns the shape, not the scoring: app/scorecard judges.
package scorereport
