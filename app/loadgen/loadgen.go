// Package loadgen sends signed webhook deliveries to a portico server, as
// GitHub would, and measures how fast and how reliably they are accepted.
// It drives the acceptance benchmark and the crash tests; it only ever
// targets the URL it is given (loopback in this repository's use).
package loadgen

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Delivery is one webhook delivery to send.
type Delivery struct {
	ID    string
	Event string
	Body  []byte
}

// Options configure a run.
type Options struct {
	URL         string // the webhook endpoint
	Secret      string // the webhook secret deliveries are signed with
	Concurrency int    // deliveries in flight at once (default 16)
	Rate        int    // deliveries due per second (open loop); 0 sends as fast as answers come
	Timeout     time.Duration
	Client      *http.Client
}

// Outcome is what happened to one delivery.
type Outcome struct {
	ID     string
	Status int // 0 when no answer came
	// Latency runs to the answer from the delivery's due time in an open
	// loop run (Rate set), from its sending otherwise.
	Latency time.Duration
	Err     error
}

// Result sums up a run.
type Result struct {
	Sent, Accepted, Failed int
	Duration               time.Duration
	PerSecond              float64
	// FromDue says that latencies count from each delivery's due time (an
	// open loop run), so that a sender held up by slow answers, with every
	// connection busy, still charges its wait to the server.
	FromDue            bool
	P50, P90, P99, Max time.Duration
	Outcomes           []Outcome // in the order of the deliveries
}

// String renders the result as one report line.
func (r Result) String() string {
	from := "from sending"
	if r.FromDue {
		from = "from due time"
	}
	return fmt.Sprintf("%d sent, %d accepted (2xx), %d failed in %s: %.0f deliveries/s; latency (%s) p50 %s, p90 %s, p99 %s, max %s",
		r.Sent, r.Accepted, r.Failed, r.Duration.Round(time.Millisecond), r.PerSecond, from,
		r.P50.Round(10*time.Microsecond), r.P90.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
}

// due is one delivery handed to a sender, with the time it was due (zero
// in a closed loop run).
type due struct {
	i  int
	at time.Time
}

// Run sends every delivery and waits for the answers. With Rate set the
// run is an open loop: delivery i is due at start + i/Rate whether or not
// earlier answers have come, and its latency counts from then.
func Run(ctx context.Context, o Options, deliveries []Delivery) Result {
	o = withDefaults(o)
	outcomes := make([]Outcome, len(deliveries))
	next := make(chan due)
	var wg sync.WaitGroup
	start := time.Now()
	for range o.Concurrency {
		wg.Go(func() {
			for d := range next {
				outcomes[d.i] = send(ctx, o, deliveries[d.i], d.at)
			}
		})
	}
	for i := range deliveries {
		var at time.Time
		if o.Rate > 0 {
			at = start.Add(time.Duration(i) * time.Second / time.Duration(o.Rate))
			pace(ctx, at)
		}
		if ctx.Err() != nil {
			break
		}
		next <- due{i, at}
	}
	close(next)
	wg.Wait()
	r := summarize(outcomes, time.Since(start))
	r.FromDue = o.Rate > 0
	return r
}

// pace waits until at, or until ctx ends.
func pace(ctx context.Context, at time.Time) {
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

func withDefaults(o Options) Options {
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Client == nil {
		// A buffer that holds a whole GitHub-sized request sends it in one
		// write rather than seven: the generator shares the machine with
		// the server it measures.
		o.Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency, MaxConnsPerHost: o.Concurrency,
			WriteBufferSize: 64 << 10}}
	}
	return o
}

// send posts one delivery with GitHub's headers and signature and times
// its answer from due, or from now if due is zero.
func send(ctx context.Context, o Options, d Delivery, due time.Time) Outcome {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL, bytes.NewReader(d.Body))
	if err != nil {
		return Outcome{ID: d.ID, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/portico-loadgen")
	req.Header.Set("X-GitHub-Event", d.Event)
	req.Header.Set("X-GitHub-Delivery", d.ID)
	req.Header.Set("X-Hub-Signature-256", Sign(o.Secret, d.Body))
	start := due
	if start.IsZero() {
		start = time.Now()
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		return Outcome{ID: d.ID, Err: err, Latency: time.Since(start)}
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return Outcome{ID: d.ID, Status: resp.StatusCode, Latency: time.Since(start)}
}

// Sign returns the X-Hub-Signature-256 value of body.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// NewID returns a random delivery id shaped like GitHub's (a UUID).
func NewID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func summarize(outcomes []Outcome, took time.Duration) Result {
	r := Result{Duration: took, Outcomes: outcomes}
	var lat []time.Duration
	for _, o := range outcomes {
		if o.Status == 0 && o.Err == nil {
			continue // never sent: the run was cancelled
		}
		r.Sent++
		if o.Status >= 200 && o.Status < 300 {
			r.Accepted++
			lat = append(lat, o.Latency)
		} else {
			r.Failed++
		}
	}
	if took > 0 {
		r.PerSecond = float64(r.Sent) / took.Seconds()
	}
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		r.P50, r.P90, r.P99, r.Max = lat[n*50/100], lat[n*90/100], lat[min(n*99/100, n-1)], lat[n-1]
	}
	return r
}
