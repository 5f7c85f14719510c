package webhook

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/jobs"
)

func TestBudget(t *testing.T) {
	t.Parallel()
	b := budget{limit: 10}
	steps := []struct {
		take int64
		give int64
		ok   bool
		used int64
	}{
		{take: 4, ok: true, used: 4},
		{take: 6, ok: true, used: 10},
		{take: 1, ok: false, used: 10},
		{give: 6, used: 4},
		{take: 7, ok: false, used: 4},
		{take: 0, ok: true, used: 4},
		{take: 6, ok: true, used: 10},
	}
	for i, s := range steps {
		if s.give > 0 {
			b.give(s.give)
		} else if ok := b.take(s.take); ok != s.ok {
			t.Errorf("step %d: take(%d) = %v, want %v", i, s.take, ok, s.ok)
		}
		if got := b.used.Load(); got != s.used {
			t.Errorf("step %d: used %d, want %d", i, got, s.used)
		}
	}
}

// TestBudgetConcurrent takes and gives from many goroutines: the budget
// is never exceeded, and ends where it began.
func TestBudgetConcurrent(t *testing.T) {
	t.Parallel()
	b := budget{limit: 100}
	var wg sync.WaitGroup
	var over sync.Once
	for range 16 {
		wg.Go(func() {
			for range 1000 {
				if b.take(7) {
					if b.used.Load() > b.limit {
						over.Do(func() { t.Error("budget exceeded") })
					}
					b.give(7)
				}
			}
		})
	}
	wg.Wait()
	if got := b.used.Load(); got != 0 {
		t.Errorf("used %d after every give, want 0", got)
	}
}

// chunked hides a reader's length, as a chunked request's body does, and
// hands it out in small reads.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), 700)]) }

var testLimits = Limits{Memory: 4 << 10, MemoryBody: 2 << 10, Disk: 64 << 10, InFlight: 4}

func TestReadBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		size     int
		unknown  bool  // no Content-Length
		length   int64 // a Content-Length that lies, when not 0
		memUsed  int64 // budget spent before the read
		diskUsed int64
		err      error
		spilled  bool
		anyErr   bool
		lim      *Limits
	}{
		{name: "small, in memory", size: 1000},
		{name: "empty", size: 0},
		{name: "at the memory cap", size: 2 << 10},
		{name: "over the memory cap, spilled", size: 2<<10 + 1, spilled: true},
		{name: "large, spilled", size: 50 << 10, spilled: true},
		{name: "small, memory spent, spilled", size: 1000, memUsed: 4<<10 - 999, spilled: true},
		{name: "large, disk spent", size: 50 << 10, diskUsed: 16 << 10, err: errBusy},
		{name: "small, both spent", size: 1000, memUsed: 4 << 10, diskUsed: 64 << 10, err: errBusy},
		{name: "chunked small, in memory", size: 1500, unknown: true},
		{name: "chunked large, spilled", size: 50 << 10, unknown: true, spilled: true},
		{name: "chunked, memory spent, spilled", size: 1500, unknown: true, memUsed: 4<<10 - 1024, spilled: true},
		{name: "chunked, disk spent midway", size: 50 << 10, unknown: true, diskUsed: 60 << 10, err: errBusy},
		{name: "declared over 25 MB", size: 10, length: MaxBodyBytes + 1, err: errTooBig},
		{name: "shorter than declared", size: 10, length: 20, anyErr: true},
		{name: "longer than declared", size: 30, length: 20, anyErr: true},
		{name: "chunked over 25 MB", size: MaxBodyBytes + 1, unknown: true, err: errTooBig,
			lim: &Limits{Memory: 1 << 20, MemoryBody: 1 << 20, Disk: 2 * MaxBodyBytes}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			lim := testLimits
			if c.lim != nil {
				lim = *c.lim
			}
			dir := t.TempDir()
			in := newIntake(dir, lim)
			in.mem.used.Store(c.memUsed)
			in.disk.used.Store(c.diskUsed)
			content := bytes.Repeat([]byte("0123456789abcdef"), c.size/16+1)[:c.size]
			var src io.Reader = bytes.NewReader(content)
			length := int64(c.size)
			switch {
			case c.unknown:
				src, length = chunked{src}, -1
			case c.length != 0:
				length = c.length
			}
			mac := hmac.New(sha256.New, []byte("k"))
			b, err := in.readBody(src, length, mac)
			checkBody(t, in, b, err, content, c.err, c.anyErr, c.spilled, mac.Sum(nil))
			b.close()
			if m, d := in.mem.used.Load(), in.disk.used.Load(); m != c.memUsed || d != c.diskUsed {
				t.Errorf("after close: memory %d, disk %d held; want %d, %d", m, d, c.memUsed, c.diskUsed)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("spill directory holds %d files after close", len(left))
			}
		})
	}
}

func checkBody(t *testing.T, in *Intake, b *body, err error, content []byte, wantErr error, anyErr, spilled bool, sum []byte) {
	t.Helper()
	switch {
	case anyErr:
		if err == nil {
			t.Fatal("read a body that does not match its Content-Length")
		}
		return
	case wantErr != nil || err != nil:
		if !errors.Is(err, wantErr) {
			t.Fatalf("err %v, want %v", err, wantErr)
		}
		return
	}
	if got := b.file != nil; got != spilled {
		t.Errorf("spilled %v, want %v", got, spilled)
	}
	if spilled {
		if st, err := b.file.Stat(); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("spill file: %v, mode %v; want 0600", err, st.Mode())
		}
		if b.memHeld != 0 {
			t.Error("a spilled body still holds memory")
		}
	}
	if m, d := b.memHeld, b.diskHeld; m+d < int64(len(content)) || m > in.lim.MemoryBody {
		t.Errorf("holds %d in memory and %d on disk for %d bytes", m, d, len(content))
	}
	got, err := b.bytes()
	if err != nil || !bytes.Equal(got, content) {
		t.Errorf("bytes() = %d bytes, %v; want the %d sent", len(got), err, len(content))
	}
	want := hmac.New(sha256.New, []byte("k"))
	want.Write(content)
	if !hmac.Equal(sum, want.Sum(nil)) {
		t.Error("the MAC computed while streaming is not the body's")
	}
}

func TestNewIntakeRemovesLeftovers(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "webhooks")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(dir, 0o700))
	must(os.WriteFile(filepath.Join(dir, spillPrefix+"123"), []byte("x"), 0o600))
	must(os.WriteFile(filepath.Join(dir, "keep"), []byte("x"), 0o600))
	if _, err := NewIntake(dir, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 1 || left[0].Name() != "keep" {
		t.Errorf("left %v, want only keep", left)
	}
	fresh := filepath.Join(t.TempDir(), "new")
	if _, err := NewIntake(fresh, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fresh); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("spill directory: %v, mode %v; want 0700", err, st.Mode())
	}
}

// trap is a body that must not be read.
type trap struct{ t *testing.T }

func (tr trap) Read([]byte) (int, error) {
	tr.t.Error("the body was read")
	return 0, io.EOF
}

// TestRefusedBeforeBody: what the headers refuse is refused without
// reading a byte of the body.
func TestRefusedBeforeBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		edit   func(r *http.Request)
		status int
	}{
		{"no signature", func(r *http.Request) { r.Header.Del("X-Hub-Signature-256") }, 401},
		{"malformed signature", func(r *http.Request) { r.Header.Set("X-Hub-Signature-256", "sha256=abc") }, 401},
		{"wrong content type", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, 415},
		{"declared over 25 MB", func(r *http.Request) { r.ContentLength = MaxBodyBytes + 1 }, 413},
		{"no delivery id", func(r *http.Request) { r.Header.Del("X-GitHub-Delivery") }, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := New([]byte("k"), &memRecorder{seen: map[string]jobs.Delivery{}}, routes)
			r := request("", "pull_request", "", prBody, "", "k")
			r.Body = io.NopCloser(trap{t})
			c.edit(r)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != c.status {
				t.Errorf("status %d, want %d", w.Code, c.status)
			}
		})
	}
}

// TestSpentBudgets: a signed delivery finds its way while memory is spent
// (it spills), and is refused with 503 and Retry-After only when the disk
// budget is spent too, or too many requests are reading.
func TestSpentBudgets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                string
		mem, disk, inFlight int64
		status              int
		retryAfter          string
	}{
		{name: "room", status: 202},
		{name: "memory spent", mem: testLimits.Memory, status: 202},
		{name: "memory and disk spent", mem: testLimits.Memory, disk: testLimits.Disk, status: 503, retryAfter: "5"},
		{name: "too many in flight", inFlight: testLimits.InFlight, status: 503, retryAfter: "5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := newIntake(t.TempDir(), testLimits)
			in.mem.used.Store(c.mem)
			in.disk.used.Store(c.disk)
			in.inFlight.used.Store(c.inFlight)
			rec := &memRecorder{seen: map[string]jobs.Delivery{}}
			h := New([]byte("k"), rec, routes, WithIntake(in))
			w := post(h, "", "pull_request", "", prBody, "", "k")
			if w.Code != c.status || w.Header().Get("Retry-After") != c.retryAfter {
				t.Errorf("status %d, Retry-After %q; want %d, %q", w.Code, w.Header().Get("Retry-After"), c.status, c.retryAfter)
			}
			if c.status == 202 && string(rec.seen["d-1"].Payload) != prBody {
				t.Errorf("recorded %q, want the body sent", rec.seen["d-1"].Payload)
			}
			if m, d, f := in.mem.used.Load(), in.disk.used.Load(), in.inFlight.used.Load(); m != c.mem || d != c.disk || f != c.inFlight {
				t.Errorf("after the answer: %d, %d, %d held; want %d, %d, %d", m, d, f, c.mem, c.disk, c.inFlight)
			}
		})
	}
}

// TestLargeSignedDelivery: a body over the memory cap goes through a file
// and is recorded whole.
func TestLargeSignedDelivery(t *testing.T) {
	t.Parallel()
	in := newIntake(t.TempDir(), testLimits)
	rec := &memRecorder{seen: map[string]jobs.Delivery{}}
	h := New([]byte("k"), rec, routes, WithIntake(in))
	body := `{"action":"opened","pad":"` + strings.Repeat("x", 40<<10) + `"}`
	if w := post(h, "", "pull_request", "", body, "", "k"); w.Code != 202 {
		t.Fatalf("status %d (%s), want 202", w.Code, w.Body)
	}
	if string(rec.seen["d-1"].Payload) != body {
		t.Error("the recorded payload is not the body sent")
	}
}

// TestSlowBodyCutOff: a sender that stops halfway through its body is
// answered 408 once the read window is over, and holds nothing after.
func TestSlowBodyCutOff(t *testing.T) {
	t.Parallel()
	in := newIntake(t.TempDir(), testLimits)
	h := New([]byte("k"), &memRecorder{seen: map[string]jobs.Delivery{}}, routes, WithIntake(in))
	h.readWindow = 200 * time.Millisecond
	srv := httptest.NewServer(h)
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := "POST /webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: ping\r\n" +
		"X-GitHub-Delivery: slow\r\nX-Hub-Signature-256: " + sign("k", "{}") + "\r\nContent-Length: 1000\r\n\r\n{\"zen\":"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // the test's own bound, far above the window
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status %d, want 408", resp.StatusCode)
	}
	if m, f := in.mem.used.Load(), in.inFlight.used.Load(); m != 0 || f != 0 {
		t.Errorf("after the answer: %d bytes and %d requests held", m, f)
	}
}
