package checks

import (
	"errors"

	"github.com/portico-dev/portico/app/jobs"
)

// superseded ends a check that no longer decides anything.
func superseded(why string) error { return jobs.Superseded(why) }

func isSuperseded(err error) bool {
	var s *jobs.SupersededError
	return errors.As(err, &s)
}
