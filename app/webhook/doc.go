// Package webhook receives GitHub's webhook deliveries: it verifies the
// signature, caps the body, asks the router which jobs a delivery gives, and
// records the delivery with its jobs durably before it answers 2xx, because
// GitHub never redelivers on its own. A repeated X-GitHub-Delivery is
// acknowledged and has no second effect.
package webhook
