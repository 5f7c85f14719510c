package jobs

import "errors"

// SupersededError is the error Superseded returns. errors.As finds it
// through wrapping, so a handler may return it wrapped.
type SupersededError struct {
	// Reason says what made the job's work moot, for the log.
	Reason string
}

// Error implements error.
func (e *SupersededError) Error() string { return "superseded: " + e.Reason }

// Superseded is what a handler returns when its work no longer decides
// anything: a pull request check for a head the pull request has since
// moved past. For River the job succeeds (it completes, is not retried,
// and its key is released); portico records it with outcome superseded,
// and a delivery whose jobs were all superseded is settled as
// OutcomeSuperseded rather than completed.
func Superseded(reason string) error { return &SupersededError{Reason: reason} }

// superseded reports whether err is, or wraps, a SupersededError.
func superseded(err error) (*SupersededError, bool) {
	var s *SupersededError
	ok := errors.As(err, &s)
	return s, ok
}
