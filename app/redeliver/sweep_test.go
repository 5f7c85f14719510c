package redeliver

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/gh"
	"github.com/portico-dev/portico/app/githubtest"
)

// receiver collects the delivery ids it is sent.
type receiver struct {
	mu  sync.Mutex
	ids []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.ids = append(r.ids, req.Header.Get("X-GitHub-Delivery"))
	r.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (r *receiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...)
}

// TestSweepRedeliversWhatWasMissed lets deliveries fail while nothing
// listens, then starts the receiver and sweeps: every missed delivery
// comes again, except the one portico already recorded, and a second sweep
// asks for nothing.
func TestSweepRedeliversWhatWasMissed(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: GitHub's deliveries fail
	fake := githubtest.New(t)
	app, err := fake.CreateApp(githubtest.AppOptions{WebhookURL: "http://" + addr + "/webhooks", WebhookSecret: "s"})
	must(t, err)
	must(t, fake.CreateRepo("acme", "web", "main"))
	_, err = fake.Commit("acme", "web", "main", githubtest.Files{"a": githubtest.Text("a")}, "init")
	must(t, err)
	_, err = fake.CreateInstallation(app.ID, "acme", "web")
	must(t, err)
	_, err = fake.Commit("acme", "web", "main", githubtest.Files{"b": githubtest.Text("b")}, "more")
	must(t, err)
	var missed []string
	for _, d := range fake.Deliveries() {
		if d.StatusCode == 0 {
			missed = append(missed, d.GUID)
		}
	}
	if len(missed) < 3 {
		t.Fatalf("only %d failed deliveries to work with", len(missed))
	}
	rec := &receiver{}
	ln, err = net.Listen("tcp", addr)
	must(t, err)
	srv := &http.Server{Handler: rec}
	go srv.Serve(ln)
	defer srv.Close()

	apps, err := gh.NewApps(app.ID, app.PrivateKeyPEM, fake.URL())
	must(t, err)
	alreadyHave := missed[0]
	recorded := func(_ context.Context, guid string) (bool, error) { return guid == alreadyHave, nil }
	s := New(apps.App(), recorded, slog.New(slog.NewTextHandler(io.Discard, nil)))
	n, err := s.Sweep(context.Background())
	must(t, err)
	if n != len(missed)-1 {
		t.Errorf("asked for %d redeliveries, want %d", n, len(missed)-1)
	}
	waitFor(t, func() bool { return len(rec.got()) == n })
	fake.WaitDeliveries() // the fake logs each redelivery's answer after it arrives
	for _, id := range rec.got() {
		if id == alreadyHave {
			t.Error("a recorded delivery was redelivered")
		}
	}
	if n, err := s.Sweep(context.Background()); err != nil || n != 0 {
		t.Errorf("second sweep asked for %d (err %v), want 0", n, err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition never met")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
