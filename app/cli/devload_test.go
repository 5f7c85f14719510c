package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestDevLoadPayloads: dev load sends GitHub's recorded payload unless
// told --payload small, and refuses a payload it does not know.
func TestDevLoadPayloads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flags            []string
		wantCode         int
		minSize, maxSize int64
	}{
		{nil, ExitOK, 20 << 10, 30 << 10},
		{[]string{"--payload", "small"}, ExitOK, 100, 1 << 10},
		{[]string{"--payload", "huge"}, ExitUsage, 0, 0},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.flags, " "), func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var smallest, largest int64 = 1 << 62, 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n, _ := io.Copy(io.Discard, r.Body)
				mu.Lock()
				smallest, largest = min(smallest, n), max(largest, n)
				mu.Unlock()
				w.WriteHeader(http.StatusAccepted)
			}))
			defer srv.Close()
			var out strings.Builder
			args := append([]string{"--url", srv.URL, "--secret", "s", "--count", "5", "--rate", "1000"}, tt.flags...)
			code, _ := runDevLoad(t.Context(), args, IO{Out: &out, Err: io.Discard})
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; output %s", code, tt.wantCode, out.String())
			}
			if code != ExitOK {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if smallest < tt.minSize || largest > tt.maxSize {
				t.Errorf("bodies of %d to %d bytes, want %d to %d", smallest, largest, tt.minSize, tt.maxSize)
			}
			if !strings.Contains(out.String(), "5 accepted") || !strings.Contains(out.String(), "from due time") {
				t.Errorf("report %q", out.String())
			}
		})
	}
}
