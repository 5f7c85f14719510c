package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

type testArgs struct{ N int }

func (testArgs) Kind() string { return "test" }

// memRecorder is a Recorder that keeps deliveries in memory.
type memRecorder struct {
	mu   sync.Mutex
	seen map[string]jobs.Delivery
	jobs int
	err  error
}

func (m *memRecorder) Record(_ context.Context, d jobs.Delivery, args ...river.JobArgs) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return false, m.err
	}
	if _, ok := m.seen[d.ID]; ok {
		return true, nil
	}
	m.seen[d.ID] = d
	m.jobs += len(args)
	return false, nil
}

var routes = Routes{
	"pull_request": func(_ context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
		if d.Action == "bad" {
			return nil, false, errors.New("no pull_request object")
		}
		return []river.JobArgs{testArgs{1}}, true, nil
	},
}

func sign(secret, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

const prBody = `{"action":"opened","installation":{"id":42},"repository":{"full_name":"acme/web"}}`

func TestHandler(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, event, id, body, sig string
		method, ctype              string // ctype: "" is application/json, "-" none
		secret                     string
		opts                       []Option
		recErr                     error
		status, recorded           int
	}{
		{name: "accepted", event: "pull_request", body: prBody, status: 202, recorded: 1},
		{name: "bad signature", event: "pull_request", body: prBody, sig: "sha256=00", status: 401},
		{name: "missing signature", event: "pull_request", body: prBody, sig: "-", status: 401},
		{name: "signature of other body", event: "pull_request", body: prBody, sig: sign("s3cret", "{}"), status: 401},
		{name: "no secret refuses", event: "pull_request", body: prBody, secret: "-", status: 503},
		{name: "no secret, insecure dev flag", event: "pull_request", body: prBody, secret: "-", sig: "-", opts: []Option{AllowUnsigned()}, status: 202, recorded: 1},
		{name: "malformed json", event: "pull_request", body: `{"action":`, status: 400},
		{name: "not an object", event: "pull_request", body: `[1]`, status: 400},
		{name: "router refuses payload", event: "pull_request", body: `{"action":"bad"}`, status: 400},
		{name: "ping", event: "ping", body: `{"zen":"x"}`, status: 200},
		{name: "unhandled event", event: "star", body: `{"action":"created"}`, status: 202},
		{name: "missing delivery id", event: "pull_request", id: "-", body: prBody, status: 400},
		{name: "malformed event", event: "pull_request\x80", body: prBody, status: 400},
		{name: "malformed delivery id", event: "pull_request", id: "a b", body: prBody, status: 400},
		{name: "wrong method", event: "pull_request", body: prBody, method: "GET", status: 405},
		{name: "JSON with a charset", event: "pull_request", body: prBody, ctype: "application/json; charset=utf-8", status: 202, recorded: 1},
		{name: "form encoded", event: "pull_request", body: "payload=" + prBody, ctype: "application/x-www-form-urlencoded", status: 415},
		{name: "no content type", event: "pull_request", body: prBody, ctype: "-", status: 415},
		{name: "signature not hex", event: "pull_request", body: prBody, sig: "sha256=" + strings.Repeat("zz", 32), status: 401},
		{name: "signature sha1", event: "pull_request", body: prBody, sig: "sha1=0123456789012345678901234567890123456789", status: 401},
		{name: "database down", event: "pull_request", body: prBody, recErr: errors.New("disk I/O error"), status: 503},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			secret := "s3cret"
			if c.secret == "-" {
				secret = ""
			}
			rec := &memRecorder{seen: map[string]jobs.Delivery{}, err: c.recErr}
			h := New([]byte(secret), rec, routes, c.opts...)
			r := request(c.method, c.event, c.id, c.body, c.sig, secret)
			switch c.ctype {
			case "":
			case "-":
				r.Header.Del("Content-Type")
			default:
				r.Header.Set("Content-Type", c.ctype)
			}
			resp := httptest.NewRecorder()
			h.ServeHTTP(resp, r)
			if resp.Code != c.status {
				t.Errorf("status %d (%s), want %d", resp.Code, strings.TrimSpace(resp.Body.String()), c.status)
			}
			if len(rec.seen) != c.recorded {
				t.Errorf("recorded %d deliveries, want %d", len(rec.seen), c.recorded)
			}
		})
	}
}

func post(h http.Handler, method, event, id, body, sig, secret string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, request(method, event, id, body, sig, secret))
	return w
}

// request is a delivery as GitHub sends it, but for the parts given: id
// "" is "d-1" and "-" none; sig "" is body's signature with secret and "-"
// none.
func request(method, event, id, body, sig, secret string) *http.Request {
	if method == "" {
		method = http.MethodPost
	}
	r := httptest.NewRequest(method, "/webhooks", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-GitHub-Event", event)
	switch id {
	case "":
		r.Header.Set("X-GitHub-Delivery", "d-1")
	case "-":
	default:
		r.Header.Set("X-GitHub-Delivery", id)
	}
	switch sig {
	case "":
		r.Header.Set("X-Hub-Signature-256", sign(secret, body))
	case "-":
	default:
		r.Header.Set("X-Hub-Signature-256", sig)
	}
	return r
}

func TestReplayHasNoSecondEffect(t *testing.T) {
	t.Parallel()
	rec := &memRecorder{seen: map[string]jobs.Delivery{}}
	reg := prometheus.NewRegistry()
	h := New([]byte("k"), rec, routes, WithRegisterer(reg))
	for i, want := range []int{202, 200, 200} {
		if got := post(h, "", "pull_request", "same", prBody, "", "k").Code; got != want {
			t.Errorf("delivery %d: status %d, want %d", i, got, want)
		}
	}
	if rec.jobs != 1 {
		t.Errorf("%d jobs recorded, want 1", rec.jobs)
	}
	d := rec.seen["same"]
	if d.InstallationID != 42 || d.Repository != "acme/web" || d.Action != "opened" || string(d.Payload) != prBody {
		t.Errorf("recorded %+v", d)
	}
	var m dto.Metric
	if err := h.metrics.deliveries.WithLabelValues("pull_request", "duplicate").Write(&m); err != nil {
		t.Fatal(err)
	}
	if got := m.GetCounter().GetValue(); got != 2 {
		t.Errorf("duplicate metric = %v, want 2", got)
	}
}

func TestOversizedBodyRefused(t *testing.T) {
	t.Parallel()
	rec := &memRecorder{seen: map[string]jobs.Delivery{}}
	h := New([]byte("k"), rec, routes)
	body := `{"pad":"` + strings.Repeat("x", MaxBodyBytes) + `"}`
	if got := post(h, "", "pull_request", "", body, "", "k").Code; got != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", got)
	}
	if len(rec.seen) != 0 {
		t.Error("an oversized delivery was recorded")
	}
}
