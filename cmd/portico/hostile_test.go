package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/portico-dev/portico/app/loadgen"
)

// floodBodies, floodBodySize: the flood of issue 9, which took the process
// to 1.5 GB when bodies were read into memory before their signature was
// checked.
const (
	floodBodies   = 32
	floodBodySize = 25 << 20
	// maxPeakRSS is the bound the flood must keep portico under.
	maxPeakRSS = 400 << 20
)

// TestUnsignedFloodMemoryBound sends 32 concurrent 25 MiB bodies with
// well-formed signatures that do not match (the costly kind: each must be
// read whole before it can be refused), half with a Content-Length and
// half chunked. While every one of them is half sent, a valid delivery
// must be accepted and recorded; and the process's peak resident memory
// (VmHWM) must stay under 400 MB.
func TestUnsignedFloodMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 800 MB")
	}
	t.Parallel()
	a := newApp(t)
	a.start()
	pr := openPulls(t, a, 1)[0]
	before := peakRSS(t, a.cmd.Process.Pid)

	gate := make(chan struct{})
	statuses := make(chan string, floodBodies)
	var halfway, done sync.WaitGroup
	for i := range floodBodies {
		halfway.Add(1)
		done.Go(func() { statuses <- flood(a.addr, i, i%2 == 0, gate, halfway.Done) })
	}
	halfway.Wait()

	valid := loadgen.Synchronize(pr, loadgen.PayloadGitHub)
	res := loadgen.Run(context.Background(), loadgen.Options{URL: "http://" + a.addr + "/webhooks", Secret: a.cred.WebhookSecret, Concurrency: 1, Timeout: 10 * time.Second}, []loadgen.Delivery{valid})
	close(gate)
	done.Wait()
	close(statuses)
	if res.Accepted != 1 {
		t.Errorf("the valid delivery sent during the flood: %s", res)
	}
	counts := map[string]int{}
	for s := range statuses {
		counts[s]++
	}
	peak := peakRSS(t, a.cmd.Process.Pid)
	t.Logf("flood of %d x %d MiB: answers %v; peak RSS %d MiB before, %d MiB after", floodBodies, floodBodySize>>20, counts, before>>20, peak>>20)
	for s := range counts {
		if s[0] == '2' {
			t.Errorf("a flood body was accepted (%s)", s)
		}
	}
	// The disk budget (512 MB) holds 20 of the 32 at most; how many it
	// gets depends on the order they come in.
	if counts["401"] < floodBodies/4 {
		t.Errorf("%d flood bodies read and refused for their signature, want at least %d: the test must make portico hold bodies, not only refuse them", counts["401"], floodBodies/4)
	}
	if peak > maxPeakRSS {
		t.Errorf("peak RSS %d MiB, want under %d MiB", peak>>20, maxPeakRSS>>20)
	}
	waitProcessed(t, a, map[string]bool{valid.ID: true})
	if left, _ := os.ReadDir(filepath.Join(a.dataDir, "webhooks")); len(left) != 0 {
		t.Errorf("%d spill files left after the flood", len(left))
	}
}

// flood sends one wrongly signed body of floodBodySize, pausing halfway
// until gate closes, and returns the status or "error". halfway is called
// once, when half is sent or the request ended before that.
func flood(addr string, i int, chunked bool, gate <-chan struct{}, halfway func()) string {
	body := &gatedBody{left: floodBodySize, half: floodBodySize / 2, gate: gate, halfway: sync.OnceFunc(halfway)}
	defer body.halfway()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/webhooks", body)
	if err != nil {
		return "error"
	}
	if !chunked {
		req.ContentLength = floodBodySize
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("flood-%d", i))
	req.Header.Set("X-Hub-Signature-256", loadgen.Sign("not the secret", []byte("{}")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "error" // refused before the body was sent: the connection closed under it
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return strconv.Itoa(resp.StatusCode)
}

// gatedBody is left bytes of filler that stops at half until gate closes.
type gatedBody struct {
	left, half int64
	gate       <-chan struct{}
	halfway    func()
}

func (b *gatedBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), b.left)
	if b.left > b.half {
		n = min(n, b.left-b.half)
	} else {
		b.halfway()
		<-b.gate
	}
	for i := range p[:n] {
		p[i] = 'x'
	}
	b.left -= n
	return int(n), nil
}

// peakRSS reads the process's peak resident set size, VmHWM.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/<pid>/status")
	return 0
}

// TestMetricsListen: with metrics_listen set, /metrics and the probes
// answer there only and the public port answers them 404; without, the
// public port answers them (as before).
func TestMetricsListen(t *testing.T) {
	t.Parallel()
	for _, apart := range []bool{true, false} {
		t.Run(fmt.Sprintf("apart=%v", apart), func(t *testing.T) {
			t.Parallel()
			a := newApp(t)
			metrics := a.addr
			if apart {
				metrics = freeAddr(t)
				a.env = append(a.env, "PORTICO_METRICS_LISTEN="+metrics)
			}
			a.start()
			want := map[string]int{"/metrics": 200, "/healthz": 200, "/readyz": 200}
			for path, status := range want {
				if got, err := httpGet("http://" + metrics + path); err != nil || got != status {
					t.Errorf("GET %s on the metrics address: %d, %v; want %d", path, got, err, status)
				}
				if !apart {
					continue
				}
				if got, err := httpGet("http://" + a.addr + path); err != nil || got != http.StatusNotFound {
					t.Errorf("GET %s on the public port: %d, %v; want 404", path, got, err)
				}
			}
			if apart {
				if got, _ := httpGet("http://" + metrics + "/webhooks"); got != http.StatusNotFound {
					t.Errorf("GET /webhooks on the metrics address: %d, want 404", got)
				}
			}
		})
	}
}

// TestHostileHeadersLogBounded sends unsigned requests with the largest
// headers the server takes, full of what net/http lets through to the
// handler (bidirectional overrides, bytes that are not UTF-8; it refuses
// control characters in headers itself), and a path full of escape
// characters: every log line stays short and holds nothing unprintable.
func TestHostileHeadersLogBounded(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.start()
	big := strings.Repeat("\u202E\xff", 9000) // 36 KB: under the 64 KB header cap
	headers := []map[string]string{
		{"X-GitHub-Event": big},
		{"X-GitHub-Delivery": big},
		{"User-Agent": big, "X-GitHub-Event": "push"},
	}
	for _, h := range headers {
		req, _ := http.NewRequest(http.MethodPost, "http://"+a.addr+"/webhooks", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got, _ := httpGet("http://" + a.addr + "/" + strings.Repeat("%1b", 10000)); got != http.StatusNotFound {
		t.Errorf("GET of a long path: %d, want 404", got)
	}
	a.waitLog(`"msg":"http request"`, `"status":404`)
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(a.logs.String(), "webhook delivery refused") < len(headers) && time.Now().Before(deadline) {
		sleep()
	}
	if n := strings.Count(a.logs.String(), "webhook delivery refused"); n != len(headers) {
		t.Errorf("%d refusals logged, want %d", n, len(headers))
	}
	for _, line := range strings.Split(strings.TrimSpace(a.logs.String()), "\n") {
		if len(line) > 4096 {
			t.Errorf("log line of %d bytes: %.200s", len(line), line)
		}
		if strings.ContainsFunc(line, func(r rune) bool { return !unicode.IsPrint(r) }) {
			t.Errorf("log line holds a control or format character: %.200q", line)
		}
	}
}

// TestDataFilesPrivate: after serving a delivery, the data directory is
// 0700 and the databases' files are 0600.
func TestDataFilesPrivate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	data := filepath.Join(a.dataDir, "data") // made by portico, not by the test
	a.env = append(a.env, "PORTICO_DATA_DIR="+data)
	a.start()
	a.dataDir = data // where waitProcessed reads the database
	pr := openPulls(t, a, 1)[0]
	d := loadgen.Synchronize(pr, loadgen.PayloadGitHub)
	res := loadgen.Run(context.Background(), loadgen.Options{URL: "http://" + a.addr + "/webhooks", Secret: a.cred.WebhookSecret}, []loadgen.Delivery{d})
	if res.Accepted != 1 {
		t.Fatalf("delivery: %s", res)
	}
	waitProcessed(t, a, map[string]bool{d.ID: true})
	for _, f := range []string{"portico.db", "portico.db-wal", "portico.db-shm", "inbox.db", "inbox.db-wal", "inbox.db-shm"} {
		if st, err := os.Stat(filepath.Join(a.dataDir, f)); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", f, err, st.Mode().Perm())
		}
	}
	for _, dir := range []string{a.dataDir, filepath.Join(a.dataDir, "webhooks")} {
		if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, mode %v; want 0700", dir, err, st.Mode().Perm())
		}
	}
}
