package terraform

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLogsBounded(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{LogLimit: 4096})
	// local-exec echoes 200 KiB; the kept log is the last 4 KiB plus the
	// marker, and ends with the runner's closing line.
	noisy := module(map[string]string{"main.tf": `
resource "terraform_data" "noisy" {
  provisioner "local-exec" { command = "i=0; while [ $i -lt 2000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done" }
}
`})
	res, err := r.Apply(context.Background(), Request{Workspace: "acme/api/alice/noisy", Module: noisy})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, res.Log)
	}
	if !res.LogTruncated || !strings.HasPrefix(res.Log, TruncatedMarker) {
		t.Errorf("log of 200 KiB not marked truncated (%d bytes)", len(res.Log))
	}
	if len(res.Log) > 4096+len(TruncatedMarker) {
		t.Errorf("log is %d bytes, over the 4096 limit", len(res.Log))
	}
	if !strings.Contains(res.Log, "apply done in") || strings.Contains(res.Log, "line-0-") {
		t.Errorf("the log kept is not the last bytes:\n%s", res.Log)
	}
}

func TestTail(t *testing.T) {
	t.Parallel()
	tl := newTail(10)
	_, _ = tl.Write([]byte("0123456789"))
	if s, dropped := tl.text(); s != "0123456789" || dropped {
		t.Errorf("at the limit: %q %v", s, dropped)
	}
	_, _ = tl.Write([]byte("abc"))
	if s, dropped := tl.text(); s != "3456789abc" || !dropped {
		t.Errorf("over the limit: %q %v", s, dropped)
	}
	if s, trunc := cut("3456789abc", 4, true); s != TruncatedMarker+"9abc" || !trunc {
		t.Errorf("cut: %q %v", s, trunc)
	}
	if s, trunc := cut("aé", 1, false); s != TruncatedMarker || !trunc {
		t.Errorf("cut in a character: %q %v", s, trunc)
	}
}

// TestLogRedactedBeforeCut prints a private key whose header the log's
// limit would cut: the key's body must not be left.
func TestLogRedactedBeforeCut(t *testing.T) {
	t.Parallel()
	r := newRunner(t, Config{LogLimit: 2048})
	body := strings.Repeat("MIIEowIBAAKCAQEAsecretkeymaterial/", 2)
	pem := module(map[string]string{"main.tf": `
resource "terraform_data" "pem" {
  provisioner "local-exec" { command = "echo '-----BEGIN RSA PRIVATE KEY-----'; i=0; while [ $i -lt 30 ]; do echo ` + body + `; i=$((i+1)); done; echo '-----END RSA PRIVATE KEY-----'" }
}
`})
	res, err := r.Apply(context.Background(), Request{Workspace: "acme/api/alice/pem", Module: pem})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, res.Log)
	}
	if strings.Contains(res.Log, "secretkeymaterial") || !strings.Contains(res.Log, Redacted) {
		t.Errorf("the key's body is in the log:\n%s", res.Log)
	}
}

// TestSerializedPerWorkspace runs two slow applies of one workspace and
// one of another at once: the first two never overlap, the third runs
// alongside.
func TestSerializedPerWorkspace(t *testing.T) {
	r := newRunner(t, Config{})
	type span struct{ start, end time.Time }
	spans := make([]span, 3)
	ws := []string{"acme/api/alice/same", "acme/api/alice/same", "acme/api/alice/other"}
	var wg sync.WaitGroup
	for i := range spans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := r.Apply(context.Background(), Request{Workspace: ws[i], Module: sleepModule(2)})
			if err != nil {
				t.Errorf("apply %d: %v\n%s", i, err, res.Log)
				return
			}
			spans[i] = span{res.Started, res.Started.Add(res.Duration)}
		}()
	}
	wg.Wait()
	a, b := spans[0], spans[1]
	if a.start.Before(b.end) && b.start.Before(a.end) {
		t.Errorf("two runs of one workspace overlapped: %v-%v and %v-%v", a.start, a.end, b.start, b.end)
	}
	o := spans[2]
	first := a
	if b.start.Before(a.start) {
		first = b
	}
	if !(o.start.Before(first.end) && first.start.Before(o.end)) {
		t.Errorf("runs of different workspaces did not overlap: %v-%v and %v-%v", first.start, first.end, o.start, o.end)
	}
}
