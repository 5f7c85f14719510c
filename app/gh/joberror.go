package gh

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
)

// JobError maps a failed GitHub job to what River should do with it, and
// logs it once: a rate limit snoozes the job until GitHub allows again
// (costing no attempt), a status no retry changes cancels it, anything
// else is returned for River to retry with backoff. what names the job in
// the log ("pull request check").
func JobError(log *slog.Logger, what string, err error, now time.Time) error {
	if at, ok := RetryAt(err, now); ok {
		log.Warn(what+" rate limited", "until", at)
		return river.JobSnooze(max(at.Sub(now), time.Second))
	}
	var ge *github.ErrorResponse
	if errors.As(err, &ge) && ge.Response != nil && permanent(ge.Response.StatusCode) {
		log.Error(what+" cannot be done", "error", err)
		return river.JobCancel(err)
	}
	if isCancel(err) {
		log.Error(what+" cannot be done", "error", err)
		return err
	}
	log.Warn(what+" failed; it will be retried", "error", err)
	return err
}

// isCancel reports whether err already asks River to cancel the job.
func isCancel(err error) bool {
	var c *river.JobCancelError
	return errors.As(err, &c)
}

// permanent reports statuses that no retry changes: gone, unauthorized or
// refused as invalid.
func permanent(status int) bool {
	switch status {
	case http.StatusNotFound, http.StatusGone, http.StatusUnauthorized, http.StatusUnprocessableEntity:
		return true
	}
	return false
}
