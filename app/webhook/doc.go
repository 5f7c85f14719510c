// Package webhook receives GitHub's webhook deliveries: it refuses what
// the headers alone refuse, verifies the signature while the body streams
// in, holds bodies in flight within process-wide budgets (memory for small
// ones, unlinked files for the rest, 503 and Retry-After when both are
// spent: the endpoint faces the internet, and a body is a stranger's until
// its signature holds), caps the body, asks the router which jobs a
// delivery gives, and records the delivery with its jobs durably before it
// answers 2xx, because GitHub never redelivers on its own. A repeated
// X-GitHub-Delivery is acknowledged and has no second effect. What it logs
// from a request is bounded and sanitised.
package webhook
