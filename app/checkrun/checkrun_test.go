package checkrun

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI is GitHub's checks API as plain fields: runs by id, and every
// write counted.
type fakeAPI struct {
	mu     sync.Mutex
	runs   []*fakeRun
	writes []string // "create 1", "update 1", in order
	onCall func(op string)
}

type fakeRun struct {
	id          int64
	target      Target
	status      string
	conclusion  Conclusion
	title       string
	summary     string
	annotations []Annotation
}

func (f *fakeAPI) FindRun(_ context.Context, t Target) (*Run, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.runs) - 1; i >= 0; i-- {
		if r := f.runs[i]; r.target == t {
			return &Run{ID: r.id, Status: r.status, AnnotationsCount: len(r.annotations)}, nil
		}
	}
	return nil, nil
}

func (f *fakeAPI) CreateRun(_ context.Context, t Target, req RunRequest) (Run, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &fakeRun{id: int64(len(f.runs) + 1), target: t}
	f.runs = append(f.runs, r)
	f.apply(r, req)
	f.writes = append(f.writes, fmt.Sprintf("create %d", r.id))
	return Run{ID: r.id, Status: r.status}, nil
}

func (f *fakeAPI) UpdateRun(_ context.Context, _ Target, id int64, req RunRequest) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.apply(f.runs[id-1], req)
	f.writes = append(f.writes, fmt.Sprintf("update %d", id))
	return nil
}

func (f *fakeAPI) ListAnnotations(_ context.Context, _ Target, id int64) ([]Annotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Annotation(nil), f.runs[id-1].annotations...), nil
}

// apply does what GitHub does with a request: fields given replace the
// run's, annotations are appended.
func (f *fakeAPI) apply(r *fakeRun, req RunRequest) {
	if len(req.Output.annotations()) > AnnotationsPerRequest {
		panic("more than 50 annotations in one request")
	}
	if req.Status != "" {
		r.status = req.Status
	}
	if req.Conclusion != "" {
		r.conclusion = req.Conclusion
	}
	if o := req.Output; o != nil {
		if len(o.Summary) > SummaryLimit {
			panic("summary over GitHub's limit")
		}
		r.title, r.summary = o.Title, o.Summary
		r.annotations = append(r.annotations, o.Annotations...)
	}
}

func (o *RunOutput) annotations() []Annotation {
	if o == nil {
		return nil
	}
	return o.Annotations
}

func (f *fakeAPI) writeCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.writes)
}

var target = Target{Owner: "acme", Repo: "web", HeadSHA: strings.Repeat("a", 40), Name: "portico / catalog"}

// findings returns n annotations, every third an error.
func findings(n int) []Annotation {
	out := make([]Annotation, n)
	for i := range out {
		lvl := Warning
		if i%3 == 0 {
			lvl = Failure
		}
		out[i] = Annotation{Path: "catalog-info.yaml", StartLine: i + 1, EndLine: i + 1, Level: lvl, Title: "rule", Message: fmt.Sprintf("finding %d", i)}
	}
	return out
}

func TestPublishNewRun(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		annotations int
		writes      int
	}{
		{"no findings: one write", 0, 1},
		{"50 annotations fit one write", 50, 1},
		{"51 need a second", 51, 2},
		{"120 take three", 120, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			api := &fakeAPI{}
			res, err := New(api, Config{}).Publish(context.Background(), target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: findings(c.annotations)})
			if err != nil {
				t.Fatal(err)
			}
			if len(api.writes) != c.writes || res.Writes != c.writes || api.writes[0] != "create 1" {
				t.Errorf("writes %v (reported %d), want %d starting with a create", api.writes, res.Writes, c.writes)
			}
			r := api.runs[0]
			if len(api.runs) != 1 || r.status != StatusCompleted || r.conclusion != Failed || len(r.annotations) != c.annotations {
				t.Errorf("%d runs; run %s %s with %d annotations, want one completed failure with %d", len(api.runs), r.status, r.conclusion, len(r.annotations), c.annotations)
			}
		})
	}
}

func TestPublishReusesRunWithoutRepeatingAnnotations(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	p := New(api, Config{})
	out := Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: findings(70)}
	ctx := context.Background()
	if _, err := p.Publish(ctx, target, out); err != nil {
		t.Fatal(err)
	}
	// A re-run with the same findings: one update, nothing appended twice.
	res, err := p.Publish(ctx, target, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(api.runs) != 1 || len(api.runs[0].annotations) != 70 || res.Writes != 1 {
		t.Errorf("%d runs, %d annotations, %d writes; want one run with 70 after one more write", len(api.runs), len(api.runs[0].annotations), res.Writes)
	}
}

func TestPublishFinishesWhatAnAttemptLeft(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	anns := findings(120)
	// An attempt created the run with its first batch, then died.
	api.runs = []*fakeRun{{id: 1, target: target, status: StatusCompleted, conclusion: Failed, annotations: anns[:50]}}
	res, err := New(api, Config{}).Publish(context.Background(), target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: anns})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(api.runs[0].annotations); got != 120 || res.Writes != 2 || len(api.runs) != 1 {
		t.Errorf("%d annotations in %d runs after %d writes; want 120 in one run after 2", got, len(api.runs), res.Writes)
	}
}

func TestPublishSupersedesRunWhoseAnnotationsNoLongerHold(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	p := New(api, Config{})
	ctx := context.Background()
	if _, err := p.Publish(ctx, target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: findings(3)}); err != nil {
		t.Fatal(err)
	}
	res, err := p.Publish(ctx, target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: findings(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(api.runs) != 2 || !res.Superseded || res.RunID != 2 {
		t.Fatalf("%d runs, superseded %v, run %d; want a second run replacing the first", len(api.runs), res.Superseded, res.RunID)
	}
	old, cur := api.runs[0], api.runs[1]
	if old.conclusion != Neutral || !strings.Contains(old.title, "Superseded") || len(cur.annotations) != 2 || cur.conclusion != Failed {
		t.Errorf("old run %s %q, new run %s with %d annotations", old.conclusion, old.title, cur.conclusion, len(cur.annotations))
	}
}

func TestPublishCapsAnnotationsMostSevereFirst(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	anns := findings(10)
	res, err := New(api, Config{MaxAnnotations: 4}).Publish(context.Background(), target, Output{
		Title: "t", Summary: "## Findings\n", Conclusion: Failed, Annotations: anns, SeeAll: "Run `portico validate` to see them all.",
	})
	if err != nil {
		t.Fatal(err)
	}
	r := api.runs[0]
	if res.Omitted != 6 || len(r.annotations) != 4 {
		t.Fatalf("omitted %d, posted %d; want 6 and 4", res.Omitted, len(r.annotations))
	}
	for _, a := range r.annotations {
		if a.Level != Failure {
			t.Errorf("posted a %s while failures were left out", a.Level)
		}
	}
	if !strings.Contains(r.summary, "6 more findings are not shown") || !strings.Contains(r.summary, "portico validate") {
		t.Errorf("summary does not say what was left out:\n%s", r.summary)
	}
}

func TestPublishCutsSummaryToGitHubsLimit(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	long := strings.Repeat("| a row of a long table ✅ |\n", 5000)
	_, err := New(api, Config{MaxAnnotations: 1}).Publish(context.Background(), target, Output{Title: "t", Summary: long, Conclusion: Neutral, Annotations: findings(3)})
	if err != nil {
		t.Fatal(err)
	}
	s := api.runs[0].summary
	if len(s) > SummaryLimit || !strings.Contains(s, "cut") || !strings.Contains(s, "2 more findings") {
		t.Errorf("summary of %d bytes; want at most %d, saying it was cut and what was left out", len(s), SummaryLimit)
	}
}

func TestFit(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{0, 3, 10, 60, 61, 200} {
		s := strings.Repeat("é line\n", 40)
		got := Fit(s, limit)
		if len(got) > limit && len(s) > limit {
			t.Errorf("Fit(%d) gave %d bytes", limit, len(got))
		}
		if !strings.HasPrefix(s, strings.TrimSuffix(got, cutNote)) {
			t.Errorf("Fit(%d) is not a prefix of the text and the note: %q", limit, got)
		}
	}
	if Fit("short", 10) != "short" {
		t.Error("Fit changed a text that fits")
	}
}

func TestTrackQuickWorkCostsOneWrite(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	res, err := New(api, Config{InProgressAfter: time.Hour}).Track(context.Background(), target, func(context.Context) (Output, error) {
		return Output{Title: "t", Summary: "s", Conclusion: Success}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Writes != 1 || len(api.writes) != 1 || api.runs[0].status != StatusCompleted {
		t.Errorf("writes %v; want one create, completed", api.writes)
	}
}

func TestTrackSlowWorkShowsProgress(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	res, err := New(api, Config{InProgressAfter: time.Millisecond}).Track(context.Background(), target, func(context.Context) (Output, error) {
		for api.writeCount() == 0 {
			time.Sleep(time.Millisecond)
		}
		if r := api.runs[0]; r.status != StatusInProgress {
			t.Errorf("while working the run is %q, want in progress", r.status)
		}
		return Output{Title: "t", Summary: "s", Conclusion: Success}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"create 1", "update 1"}
	if fmt.Sprint(api.writes) != fmt.Sprint(want) || res.Writes != 2 || api.runs[0].status != StatusCompleted {
		t.Errorf("writes %v (reported %d), want %v ending completed", api.writes, res.Writes, want)
	}
}

func TestTrackReturnsWorkError(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	boom := errors.New("boom")
	_, err := New(api, Config{InProgressAfter: time.Hour}).Track(context.Background(), target, func(context.Context) (Output, error) {
		return Output{}, boom
	})
	if !errors.Is(err, boom) || len(api.writes) != 0 {
		t.Errorf("err %v, writes %v; want the work's error and no write", err, api.writes)
	}
}
