package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// TestJobKnowsItsDelivery: a job inserted with a delivery finds its id in
// its context and its log lines; a follow-up it inserts has none.
func TestJobKnowsItsDelivery(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	var buf bytes.Buffer
	var mu sync.Mutex
	base := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	seen := make(chan string, 2)
	Handle(q, func(ctx context.Context, job *river.Job[testArgs]) error {
		Logger(ctx, base).InfoContext(ctx, "checking")
		seen <- DeliveryID(ctx)
		return q.Insert(ctx, followArgs{"next"})
	})
	Handle(q, func(ctx context.Context, job *river.Job[followArgs]) error {
		Logger(ctx, base).InfoContext(ctx, "following")
		seen <- DeliveryID(ctx)
		return nil
	})
	record(t, q, "4c2b-delivery", testArgs{N: 1})
	startQueue(t, q)
	for _, want := range []string{"4c2b-delivery", ""} {
		select {
		case got := <-seen:
			if got != want {
				t.Errorf("DeliveryID = %q, want %q", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("jobs did not run")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("log:\n%s\nwant two lines", buf.String())
	}
	for _, want := range []string{"delivery=4c2b-delivery", "job_id=", "kind=test"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("job log line %q lacks %s", lines[0], want)
		}
	}
	if strings.Contains(lines[1], "delivery=") || !strings.Contains(lines[1], "kind=follow") {
		t.Errorf("follow-up log line %q: want its kind and no delivery", lines[1])
	}
}

func TestLoggerOutsideAJob(t *testing.T) {
	t.Parallel()
	base := slog.New(slog.DiscardHandler)
	if Logger(context.Background(), base) != base {
		t.Error("Logger outside a job changed the logger")
	}
	if id := DeliveryID(context.Background()); id != "" {
		t.Errorf("DeliveryID outside a job = %q", id)
	}
}

func TestDeliveryMetadata(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"72d3162e-cc78-11e3-81ab-4c9367dc0958", `quote"and\back`} {
		if got := deliveryFromMetadata(deliveryMetadata(id)); got != id {
			t.Errorf("round trip of %q gave %q", id, got)
		}
	}
	for _, raw := range []string{"", "{}", "not json", `{"portico_delivery": 3}`} {
		if got := deliveryFromMetadata([]byte(raw)); got != "" {
			t.Errorf("deliveryFromMetadata(%q) = %q, want none", raw, got)
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
