package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPublicURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ listen, flag, want string }{
		{"127.0.0.1:3000", "", "http://127.0.0.1:3000"},
		{":3000", "", "http://localhost:3000"},
		{"0.0.0.0:3000", "", "http://localhost:3000"},
		{"[::]:3000", "", "http://localhost:3000"},
		{"127.0.0.1:3000", "https://gh.example", "https://gh.example"},
	} {
		if got := publicURL(tc.listen, tc.flag); got != tc.want {
			t.Errorf("publicURL(%q, %q) = %q, want %q", tc.listen, tc.flag, got, tc.want)
		}
	}
}

// syncBuffer is written by the command and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestDevGitHubServesUntilCancelled(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(t.Context())
	var out syncBuffer
	done := make(chan int)
	go func() {
		code, _ := runDevCmd(ctx, []string{"github", "--listen", addr, "--data", t.TempDir()}, IO{Out: &out, Err: io.Discard})
		done <- code
	}()
	var routes []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/_admin/")
		if err != nil {
			continue
		}
		json.NewDecoder(resp.Body).Decode(&routes)
		resp.Body.Close()
		break
	}
	if len(routes) == 0 || !strings.Contains(out.String(), "fake GitHub on http://"+addr) {
		t.Errorf("admin routes %d, output %q", len(routes), out.String())
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Errorf("exit code %d", code)
	}
}

func TestDevGitHubRefusesArguments(t *testing.T) {
	t.Parallel()
	code, err := runDevCmd(t.Context(), []string{"github", "extra"}, IO{Out: io.Discard, Err: io.Discard})
	if code != ExitUsage || err == nil {
		t.Errorf("code %d, err %v", code, err)
	}
}
