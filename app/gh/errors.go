package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/go-github/v62/github"
)

// RateLimitedError is returned instead of waiting when the wait a request
// needs (for a rate limit or for pacing) is longer than the maximum wait
// or than its context's deadline allows. Nothing was sent.
type RateLimitedError struct {
	// Until is when the request may be sent.
	Until time.Time
	// Reason is "primary", "secondary" or "pace".
	Reason string
}

// Error implements error.
func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("github %s rate limit: not sent, allowed again at %s", e.Reason, e.Until.UTC().Format(time.RFC3339))
}

// RetryAt says when a request that failed with err may be tried again, if
// err is a rate limit: this package's *RateLimitedError, or go-github's
// *github.RateLimitError, *github.AbuseRateLimitError or a 429
// *github.ErrorResponse (go-github refuses locally, without asking GitHub,
// while a previous response said a limit is exhausted). Jobs use it to
// reschedule themselves instead of holding a worker.
func RetryAt(err error, now time.Time) (time.Time, bool) {
	var (
		ours    *RateLimitedError
		primary *github.RateLimitError
		abuse   *github.AbuseRateLimitError
		resp    *github.ErrorResponse
	)
	switch {
	case errors.As(err, &ours):
		return ours.Until, true
	case errors.As(err, &primary):
		return primary.Rate.Reset.Time, true
	case errors.As(err, &abuse):
		if abuse.RetryAfter != nil {
			return now.Add(*abuse.RetryAfter), true
		}
		return now.Add(DefaultSecondaryWait), true
	case errors.As(err, &resp) && resp.Response != nil && resp.Response.StatusCode == http.StatusTooManyRequests:
		if t, ok := retryAfter(resp.Response.Header, now); ok {
			return t, true
		}
		return now.Add(DefaultSecondaryWait), true
	}
	return time.Time{}, false
}

type replaySafeKey struct{}

// ReplaySafe marks the requests made with the returned context as safe to
// send again after a 5xx, a timeout or a broken connection even though
// their method is POST or PATCH: use it for requests whose repetition is
// harmless, such as creating content-addressed Git blobs and trees.
func ReplaySafe(ctx context.Context) context.Context {
	return context.WithValue(ctx, replaySafeKey{}, true)
}

func isReplaySafe(ctx context.Context) bool {
	v, _ := ctx.Value(replaySafeKey{}).(bool)
	return v
}
