//go:build unix

package scorecard

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used: on a shared machine it
// tells the work a benchmark does apart from the time it waits for a
// core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
