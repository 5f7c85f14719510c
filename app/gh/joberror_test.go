package gh

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"
)

func TestJobError(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	status := func(code int) error {
		return &github.ErrorResponse{Response: &http.Response{StatusCode: code}}
	}
	limited := &RateLimitedError{Until: now.Add(30 * time.Second), Reason: "secondary"}
	cases := []struct {
		name   string
		err    error
		snooze bool
		cancel bool
	}{
		{"rate limited", limited, true, false},
		{"not found", status(http.StatusNotFound), false, true},
		{"invalid", status(http.StatusUnprocessableEntity), false, true},
		{"server error", status(http.StatusBadGateway), false, false},
		{"network", errors.New("connection reset"), false, false},
	}
	for _, c := range cases {
		got := JobError(log, "test job", c.err, now)
		var snooze *river.JobSnoozeError
		var cancel *river.JobCancelError
		if errors.As(got, &snooze) != c.snooze || errors.As(got, &cancel) != c.cancel {
			t.Errorf("%s: got %v, want snooze=%v cancel=%v", c.name, got, c.snooze, c.cancel)
		}
		if !c.snooze && !c.cancel && !errors.Is(got, c.err) {
			t.Errorf("%s: got %v, want the error back for River to retry", c.name, got)
		}
		if c.snooze && snooze.Duration != 30*time.Second {
			t.Errorf("%s: snoozed %s, want until the limit resets (30s)", c.name, snooze.Duration)
		}
	}
}

func TestJobErrorKeepsACancel(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, nil))
	in := river.JobCancel(errors.New("no such branch"))
	got := JobError(log, "test job", in, time.Now())
	var cancel *river.JobCancelError
	if !errors.As(got, &cancel) {
		t.Errorf("got %v, want the cancel kept", got)
	}
	if strings.Contains(buf.String(), "retried") || !strings.Contains(buf.String(), "cannot be done") {
		t.Errorf("log says %q", buf.String())
	}
}
