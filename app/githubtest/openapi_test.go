package githubtest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestEmbeddedDescriptionMatchesTestdata(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile("../../testdata/github/api.github.com.json")
	must(t, err)
	zr, err := gzip.NewReader(bytes.NewReader(specGzip))
	must(t, err)
	got, err := io.ReadAll(zr)
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Error("api.github.com.json.gz differs from testdata/github/api.github.com.json: run testdata/github/trim-openapi.sh")
	}
}

func TestEveryOperationIsServed(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec()
	must(t, err)
	handlers := New(t).restHandlers()
	for _, rt := range sp.routes {
		if _, ok := handlers[rt.key()]; !ok {
			t.Errorf("%s is in the description but not served", rt.key())
		}
		delete(handlers, rt.key())
	}
	for key := range handlers {
		t.Errorf("%s is served but not in the description", key)
	}
}

func TestViolations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok := f.token(t)
	cases := []struct {
		name, method, path, body string
		status                   int
		kind                     string
	}{
		{"unknown path", "GET", "/repos/octo-org/hello/branches", "", http.StatusNotFound, "unknown endpoint"},
		{"method not in the description", "DELETE", "/repos/octo-org/hello", "", http.StatusNotFound, "unknown endpoint"},
		{"body missing a required field", "POST", "/repos/octo-org/hello/check-runs", `{"head_sha":"` + f.sha + `"}`, http.StatusUnprocessableEntity, "invalid request"},
		{"wrong type in the body", "POST", "/repos/octo-org/hello/issues/1/comments", `{"body":42}`, http.StatusUnprocessableEntity, "invalid request"},
		{"path parameter not an integer", "GET", "/repos/octo-org/hello/pulls/first", "", http.StatusUnprocessableEntity, "invalid request"},
		{"enum in the query", "GET", "/repos/octo-org/hello/commits/main/check-runs?status=done", "", http.StatusUnprocessableEntity, "invalid request"},
		{"the same under /api/v3", "GET", "/api/v3/repos/octo-org/hello/branches", "", http.StatusNotFound, "unknown endpoint"},
	}
	for _, tc := range cases {
		req, _ := http.NewRequestWithContext(t.Context(), tc.method, f.srv.URL()+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", "token "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		v := f.srv.Violations()
		if resp.StatusCode != tc.status || len(v) != 1 || v[0].Kind != tc.kind {
			t.Errorf("%s: status %d, violations %v; want %d and one %q", tc.name, resp.StatusCode, v, tc.status, tc.kind)
		}
		f.srv.ResetViolations()
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", f.srv.URL()+"/api/v3/repos/octo-org/hello", nil)
	req.Header.Set("Authorization", "token "+tok)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /api/v3/repos/octo-org/hello = %d", resp.StatusCode)
	}
}

// TestRouting checks that a path the trimmed description leaves out is
// refused, naming its operation, rather than taken for a kept operation
// whose parameters would fit it, while a ref with slashes still routes.
func TestRouting(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec()
	must(t, err)
	sha := strings.Repeat("a", 40)
	cases := []struct {
		method, path string
		route        string            // the operation, or "" for a refusal
		params       map[string]string // besides owner and repo
		refusal      string            // in the refusal's reason
	}{
		{"GET", "/repos/acme/web/commits/feature/x", "GET /repos/{owner}/{repo}/commits/{ref}", map[string]string{"ref": "feature/x"}, ""},
		{"GET", "/repos/acme/web/commits/" + sha, "GET /repos/{owner}/{repo}/commits/{ref}", map[string]string{"ref": sha}, ""},
		{"GET", "/repos/acme/web/commits/" + sha + "/pulls", "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", map[string]string{"commit_sha": sha}, ""},
		{"GET", "/repos/acme/web/commits/feature/x/check-runs", "GET /repos/{owner}/{repo}/commits/{ref}/check-runs", map[string]string{"ref": "feature/x"}, ""},
		{"GET", "/repos/acme/web/contents/a/b/c.yaml", "GET /repos/{owner}/{repo}/contents/{path}", map[string]string{"path": "a/b/c.yaml"}, ""},
		{"GET", "/repos/acme/web/commits/" + sha + "/branches-where-head", "", nil,
			"GET /repos/{owner}/{repo}/commits/{commit_sha}/branches-where-head (repos/list-branches-for-head-commit) is in GitHub's description but not in the trimmed one"},
		{"GET", "/repos/acme/web/commits/" + sha + "/status", "", nil,
			"GET /repos/{owner}/{repo}/commits/{ref}/status (repos/get-combined-status-for-ref)"},
		{"GET", "/repos/acme/web/commits/feature/x/statuses", "", nil, "(repos/list-commit-statuses-for-ref)"},
		{"POST", "/repos/acme/web/commits/" + sha + "/comments", "", nil, "(repos/create-commit-comment)"},
		{"DELETE", "/repos/acme/web/commits/" + sha + "/status", "", nil,
			"method not allowed by GitHub's description of /repos/{owner}/{repo}/commits/{ref}/status"},
		{"GET", "/repos/acme/web/pulls/comments", "", nil, "(pulls/list-review-comments-for-repo)"},
		{"GET", "/repos/acme/web/pulls/comments/5", "", nil, "(pulls/get-review-comment)"},
		{"GET", "/repos/acme/web/branches", "", nil, "no such path in GitHub's description"},
	}
	for _, tc := range cases {
		rt, params, unknown := sp.match(tc.method, tc.path)
		got := ""
		if rt != nil {
			got = rt.key()
			tc.params["owner"], tc.params["repo"] = "acme", "web"
		}
		if got != tc.route || fmt.Sprint(params) != fmt.Sprint(tc.params) || !strings.Contains(unknown, tc.refusal) || (rt == nil) == (unknown == "") {
			t.Errorf("%s %s = %q %v %q, want %q %v %q", tc.method, tc.path, got, params, unknown, tc.route, tc.params, tc.refusal)
		}
	}
}

// TestUndescribedPathIsAViolation checks what a client sees for a path
// the trimmed description leaves out: 404 and a violation that names the
// operation, as for any unknown endpoint.
func TestUndescribedPathIsAViolation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, _, err := f.client.Repositories.ListBranchesHeadCommit(t.Context(), "octo-org", "hello", f.sha)
	v := f.srv.Violations()
	if status(err) != http.StatusNotFound || len(v) != 1 || v[0].Kind != "unknown endpoint" ||
		!strings.Contains(v[0].Err, "repos/list-branches-for-head-commit") {
		t.Errorf("branches-where-head: %v, violations %v", err, v)
	}
	f.srv.ResetViolations()
	if _, _, err := f.client.Repositories.GetCommit(t.Context(), "octo-org", "hello", f.sha, nil); err != nil {
		t.Errorf("get a commit: %v", err)
	}
}

// TestViolationsFailTheTest runs a fake in a test double of its own and
// checks that a violation fails it at cleanup.
func TestViolationsFailTheTest(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{TB: t}
	srv := New(rec)
	resp, err := http.Get(srv.URL() + "/no/such/endpoint")
	must(t, err)
	resp.Body.Close()
	rec.cleanup()
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "unknown endpoint") {
		t.Errorf("errors at cleanup = %q", rec.errors)
	}
}

// recordingTB keeps the errors and cleanups of a fake's test.
type recordingTB struct {
	testing.TB
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, strings.TrimSpace(fmt.Sprintf(format, args...)))
}
func (r *recordingTB) Cleanup(fn func()) { r.cleanups = append(r.cleanups, fn) }
func (r *recordingTB) Helper()           {}
func (r *recordingTB) cleanup() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestResponsesAreChecked(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec()
	must(t, err)
	rt, params, _ := sp.match("GET", "/repos/o/r/pulls/1")
	req, _ := http.NewRequest("GET", "http://x/repos/o/r/pulls/1", nil)
	h := http.Header{"Content-Type": {"application/json"}}
	if err := sp.validateResponse(t.Context(), req, rt, params, 200, h, []byte(`{"number":"one"}`)); err == nil {
		t.Error("an invalid pull request passed the response check")
	}
}

// knownDrift is where the recorded examples, some from 2019, differ from
// today's description: older installation payloads had Unix timestamps,
// has_discussions is newer than some examples, and one example's
// created_at lacks a time zone.
var knownDrift = map[string]string{
	"installation.created":              `Error at "/installation/created_at"`,
	"installation.deleted":              `Error at "/installation/created_at"`,
	"installation_repositories.added":   `Error at "/installation/created_at"`,
	"installation_repositories.removed": `Error at "/installation/created_at"`,
	"pull_request.synchronize":          `Error at "/pull_request/base/repo/has_discussions"`,
	"push":                              `Error at "/repository/has_discussions"`,
	"check_run.rerequested":             `Error at "/check_run/app/created_at"`,
}

// TestRecordedPayloadsFitTheDescription checks the committed examples
// against the webhook schemas the fake validates its own payloads with,
// so that regenerating either shows what changed.
func TestRecordedPayloadsFitTheDescription(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec()
	must(t, err)
	for name, payload := range recordedPayloads(t) {
		event, action, _ := strings.Cut(name, ".")
		got := ""
		if err := sp.validateWebhook(hookName(event, action), payload); err != nil {
			got = firstLine(err.Error())
		}
		if want := knownDrift[name]; !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// TestPayloadsLookRecorded compares the fake's payloads with the recorded
// ones: every key GitHub sent, two levels deep, is in the fake's too.
func TestPayloadsLookRecorded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.srv.Commit("octo-org", "hello", "feature", Files{"a": Text("a")}, "a")
	must(t, err)
	pr, err := f.srv.OpenPullRequest("octo-org", "hello", "feature", "main", "pr")
	must(t, err)
	_, err = f.srv.Comment("octo-org", "hello", pr.Number, "dev", "hi")
	must(t, err)
	recorded := recordedPayloads(t)
	for _, d := range f.srv.Deliveries() {
		name := d.Event
		if d.Action != "" {
			name += "." + d.Action
		}
		want, ok := recorded[name]
		if !ok || name == "ping" { // the recorded ping is a repository hook's, not an App's
			continue
		}
		var got, example map[string]any
		must(t, json.Unmarshal(d.Payload, &got))
		must(t, json.Unmarshal(want, &example))
		if missing := missingKeys(example, got, "", 2); len(missing) > 0 {
			t.Errorf("%s lacks %v", name, missing)
		}
	}
}

// optionalKeys appear in recorded payloads only in some circumstances.
var optionalKeys = map[string]bool{
	"enterprise": true, "organization": true, "hook.app_id": true, "requester": true,
	"repository.custom_properties": true, "pull_request.requested_teams": true,
}

func missingKeys(want, got map[string]any, prefix string, depth int) []string {
	var out []string
	for k, v := range want {
		path := prefix + k
		if optionalKeys[path] {
			continue
		}
		g, ok := got[k]
		if !ok {
			out = append(out, path)
			continue
		}
		wm, wok := v.(map[string]any)
		gm, gok := g.(map[string]any)
		if wok && gok && depth > 1 {
			out = append(out, missingKeys(wm, gm, path+".", depth-1)...)
		}
	}
	sort.Strings(out)
	return out
}

func recordedPayloads(t *testing.T) map[string][]byte {
	files, err := filepath.Glob("../../testdata/github/webhooks/*.json")
	must(t, err)
	if len(files) == 0 {
		t.Fatal("no recorded payloads")
	}
	out := map[string][]byte{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		must(t, err)
		out[strings.TrimSuffix(filepath.Base(p), ".json")] = b
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
