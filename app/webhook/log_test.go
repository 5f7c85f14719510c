package webhook

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"

	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/logsafe"
)

// TestLogBoundedAndSanitised sends the headers a stranger might: the log
// line of each refusal stays short and holds no control character, so a
// request can neither fill the disk with logs nor forge a line.
func TestLogBoundedAndSanitised(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("A", 1<<20)
	cases := []struct {
		name   string
		header map[string]string
		sig    string
	}{
		{"megabyte event, unsigned", map[string]string{"X-GitHub-Event": huge}, "-"},
		{"megabyte delivery id, signed", map[string]string{"X-GitHub-Delivery": huge}, ""},
		{"forged line in the delivery id", map[string]string{"X-GitHub-Delivery": "x\n{\"level\":\"ERROR\",\"msg\":\"forged\"}"}, "-"},
		{"escape sequences in the user agent", map[string]string{"User-Agent": "\x1b[2J\x1b[31m" + huge}, "-"},
		{"bidi override in the event", map[string]string{"X-GitHub-Event": "push\u202Eevil"}, "sha256=00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			h := New([]byte("k"), &memRecorder{seen: map[string]jobs.Delivery{}}, routes,
				WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			r := request("", "pull_request", "", prBody, c.sig, "k")
			for k, v := range c.header {
				r.Header.Set(k, v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1", len(lines))
			}
			checkLine(t, lines[0])
		})
	}
}

// maxLine bounds a refusal's log line: a few fields, each at most
// logsafe.MaxLen bytes and its note.
const maxLine = 12 * (logsafe.MaxLen + 32)

func checkLine(t *testing.T, line string) {
	t.Helper()
	if len(line) > maxLine {
		t.Errorf("log line of %d bytes, want at most %d", len(line), maxLine)
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(line), &fields); err != nil {
		t.Fatalf("log line is not one JSON object: %v", err)
	}
	if fields["msg"] != "webhook delivery refused" {
		t.Errorf("msg %q, want the refusal", fields["msg"])
	}
	for k, v := range fields {
		s, ok := v.(string)
		if !ok {
			continue
		}
		if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }); i >= 0 {
			t.Errorf("%s holds %q at %d", k, s[i:min(i+4, len(s))], i)
		}
	}
}
