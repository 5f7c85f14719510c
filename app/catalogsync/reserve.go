package catalogsync

import (
	"time"

	"github.com/portico-dev/portico/app/gh"
)

// reservePercent is the share of an installation's hourly core rate limit
// that discovered syncs leave untouched: below it they wait for the
// limit's reset, so that pull request checks and pushes' syncs keep
// working while a large organisation is discovered. 10% of GitHub's
// 5,000 requests an hour is 500, enough for dozens of checks.
const reservePercent = 10

// defaultRateLimit stands in when GitHub did not say the limit: the
// smallest an installation gets.
const defaultRateLimit = 5000

// RateLimits reports an installation's core rate limit as last seen;
// *gh.Apps does.
type RateLimits interface {
	RateLimit(installationID int64) (gh.Rate, bool)
}

// WithReserve has discovered syncs keep a reserve of the installation's
// rate limit as limits last saw it (see reservePercent).
func (r *Runner) WithReserve(limits RateLimits) *Runner {
	r.limits = limits
	return r
}

// reserveWait says how long a discovered sync of installation id must
// wait for the reserve to refill: until the limit resets, when what is
// left is under the reserve. An unknown or already reset limit does not
// hold it back.
func (r *Runner) reserveWait(id int64) (time.Duration, bool) {
	if r.limits == nil {
		return 0, false
	}
	rate, ok := r.limits.RateLimit(id)
	now := r.now()
	if !ok || !rate.Reset.After(now) {
		return 0, false
	}
	limit := rate.Limit
	if limit <= 0 {
		limit = defaultRateLimit
	}
	if rate.Remaining*100 >= limit*reservePercent {
		return 0, false
	}
	return rate.Reset.Sub(now) + time.Second, true
}
