package jobs

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// benchModes are what the queue does while Record is measured.
var benchModes = []struct {
	name  string
	start bool
	job   time.Duration // how long each job takes
}{
	{"idle", false, 0},                        // not started: Record alone
	{"working", true, 500 * time.Millisecond}, // jobs that wait on GitHub like a pull request check, 16 at a time
	{"draining", true, 0},                     // jobs that return at once: River completes as fast as it can
}

// benchQueue returns a queue with production settings and one registered
// kind, started or not.
func benchQueue(b *testing.B, start bool, job time.Duration) *Queue {
	q := newQueue(b, openDB(b, b.TempDir()), Options{Logger: testLogger(b), DeliveryRetention: -1})
	Handle(q, func(ctx context.Context, _ *river.Job[testArgs]) error {
		time.Sleep(job)
		return nil
	})
	if start {
		startQueue(b, q)
	}
	return q
}

// benchRecord records delivery number n, with one serialized job and
// GitHub's recorded pull_request payload (about 24 KB).
func benchRecord(q *Queue, n int64, payload []byte) (time.Duration, error) {
	start := time.Now()
	_, err := q.Record(context.Background(), Delivery{
		ID: fmt.Sprint("bench-", n), Event: "pull_request", Action: "synchronize",
		InstallationID: 1, Repository: "acme/web", Payload: payload,
	}, testArgs{N: int(n), Key: fmt.Sprint("pr:acme/web@", n%50)})
	return time.Since(start), err
}

// BenchmarkRecord measures durable Record calls: "parallel" with many
// concurrent callers as fast as they go (throughput, and latency at
// saturation), "rate-1000" with one call started every millisecond, as a
// steady 1,000 deliveries a second would (latency at the target load).
// Each runs beside each of benchModes: River working jobs shares the one
// database connection with Record.
func BenchmarkRecord(b *testing.B) {
	for _, m := range benchModes {
		b.Run("parallel/"+m.name, func(b *testing.B) { benchParallel(b, benchQueue(b, m.start, m.job)) })
		b.Run("rate-1000/"+m.name, func(b *testing.B) { benchRate(b, benchQueue(b, m.start, m.job), time.Millisecond) })
	}
}

func benchParallel(b *testing.B, q *Queue) {
	payload := githubPayload(b)
	var seq atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	b.SetParallelism(32) // callers blocked on commits, like HTTP handlers
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var local []time.Duration
		for pb.Next() {
			d, err := benchRecord(q, seq.Add(1), payload)
			if err != nil {
				b.Error(err)
				return
			}
			local = append(local, d)
		}
		mu.Lock()
		latencies = append(latencies, local...)
		mu.Unlock()
	})
	report(b, latencies, time.Since(start))
}

func benchRate(b *testing.B, q *Queue, every time.Duration) {
	payload := githubPayload(b)
	latencies := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		// Sleep to the i-th arrival; latency counts from the arrival, so a
		// late start is charged to Record.
		arrival := start.Add(time.Duration(i) * every)
		time.Sleep(time.Until(arrival))
		wg.Go(func() {
			_, err := benchRecord(q, int64(i), payload)
			if err != nil {
				b.Error(err)
			}
			latencies[i] = time.Since(arrival)
		})
	}
	wg.Wait()
	report(b, latencies, time.Since(start))
}

func report(b *testing.B, latencies []time.Duration, elapsed time.Duration) {
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "records/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(0, "ns/op")
}
