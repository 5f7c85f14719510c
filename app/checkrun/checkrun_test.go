package checkrun_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/portico-dev/portico/app/checkrun"
	"github.com/portico-dev/portico/app/checkrun/checkruntest"
)

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
			api := &checkruntest.API{}
			res, err := New(api, Config{}).Publish(context.Background(), target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: findings(c.annotations)})
			if err != nil {
				t.Fatal(err)
			}
			if len(api.Writes()) != c.writes || res.Writes != c.writes || api.Writes()[0] != "create 1" {
				t.Errorf("writes %v (reported %d), want %d starting with a create", api.Writes(), res.Writes, c.writes)
			}
			r := api.Runs()[0]
			if len(api.Runs()) != 1 || r.Status != StatusCompleted || r.Conclusion != Failed || len(r.Annotations) != c.annotations {
				t.Errorf("%d runs; run %s %s with %d annotations, want one completed failure with %d", len(api.Runs()), r.Status, r.Conclusion, len(r.Annotations), c.annotations)
			}
		})
	}
}

func TestPublishReusesRunWithoutRepeatingAnnotations(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
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
	if len(api.Runs()) != 1 || len(api.Runs()[0].Annotations) != 70 || res.Writes != 1 {
		t.Errorf("%d runs, %d annotations, %d writes; want one run with 70 after one more write", len(api.Runs()), len(api.Runs()[0].Annotations), res.Writes)
	}
}

func TestPublishFinishesWhatAnAttemptLeft(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
	anns := findings(120)
	// An attempt created the run with its first batch, then died.
	api.Put(checkruntest.Run{Target: target, Status: StatusCompleted, Conclusion: Failed, Annotations: anns[:50]})
	res, err := New(api, Config{}).Publish(context.Background(), target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: anns})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(api.Runs()[0].Annotations); got != 120 || res.Writes != 2 || len(api.Runs()) != 1 {
		t.Errorf("%d annotations in %d runs after %d writes; want 120 in one run after 2", got, len(api.Runs()), res.Writes)
	}
}

func TestPublishSupersedesRunWhoseAnnotationsNoLongerHold(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
	p := New(api, Config{})
	ctx := context.Background()
	if _, err := p.Publish(ctx, target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: findings(3)}); err != nil {
		t.Fatal(err)
	}
	res, err := p.Publish(ctx, target, Output{Title: "t", Summary: "s", Conclusion: Failed, Annotations: findings(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Runs()) != 2 || !res.Superseded || res.RunID != 2 {
		t.Fatalf("%d runs, superseded %v, run %d; want a second run replacing the first", len(api.Runs()), res.Superseded, res.RunID)
	}
	old, cur := api.Runs()[0], api.Runs()[1]
	if old.Conclusion != Neutral || !strings.Contains(old.Title, "Superseded") || len(cur.Annotations) != 2 || cur.Conclusion != Failed {
		t.Errorf("old run %s %q, new run %s with %d annotations", old.Conclusion, old.Title, cur.Conclusion, len(cur.Annotations))
	}
}

func TestPublishCapsAnnotationsMostSevereFirst(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
	anns := findings(10)
	res, err := New(api, Config{MaxAnnotations: 4}).Publish(context.Background(), target, Output{
		Title: "t", Summary: "## Findings\n", Conclusion: Failed, Annotations: anns, SeeAll: "Run `portico validate` to see them all.",
	})
	if err != nil {
		t.Fatal(err)
	}
	r := api.Runs()[0]
	if res.Omitted != 6 || len(r.Annotations) != 4 {
		t.Fatalf("omitted %d, posted %d; want 6 and 4", res.Omitted, len(r.Annotations))
	}
	for _, a := range r.Annotations {
		if a.Level != Failure {
			t.Errorf("posted a %s while failures were left out", a.Level)
		}
	}
	if !strings.Contains(r.Summary, "6 more findings are not shown") || !strings.Contains(r.Summary, "portico validate") {
		t.Errorf("summary does not say what was left out:\n%s", r.Summary)
	}
}

func TestPublishCutsSummaryToGitHubsLimit(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
	long := strings.Repeat("| a row of a long table ✅ |\n", 5000)
	_, err := New(api, Config{MaxAnnotations: 1}).Publish(context.Background(), target, Output{Title: "t", Summary: long, Conclusion: Neutral, Annotations: findings(3)})
	if err != nil {
		t.Fatal(err)
	}
	s := api.Runs()[0].Summary
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
		if !strings.HasPrefix(s, strings.TrimSuffix(got, "\n\n… (cut: the summary is longer than GitHub allows)\n")) {
			t.Errorf("Fit(%d) is not a prefix of the text and the note: %q", limit, got)
		}
	}
	if Fit("short", 10) != "short" {
		t.Error("Fit changed a text that fits")
	}
}

func TestTrackQuickWorkCostsOneWrite(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
	res, err := New(api, Config{InProgressAfter: time.Hour}).Track(context.Background(), target, func(context.Context) (Output, error) {
		return Output{Title: "t", Summary: "s", Conclusion: Success}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Writes != 1 || len(api.Writes()) != 1 || api.Runs()[0].Status != StatusCompleted {
		t.Errorf("writes %v; want one create, completed", api.Writes())
	}
}

func TestTrackSlowWorkShowsProgress(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
	res, err := New(api, Config{InProgressAfter: time.Millisecond}).Track(context.Background(), target, func(context.Context) (Output, error) {
		for len(api.Writes()) == 0 {
			time.Sleep(time.Millisecond)
		}
		if r := api.Runs()[0]; r.Status != StatusInProgress {
			t.Errorf("while working the run is %q, want in progress", r.Status)
		}
		return Output{Title: "t", Summary: "s", Conclusion: Success}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"create 1", "update 1"}
	if fmt.Sprint(api.Writes()) != fmt.Sprint(want) || res.Writes != 2 || api.Runs()[0].Status != StatusCompleted {
		t.Errorf("writes %v (reported %d), want %v ending completed", api.Writes(), res.Writes, want)
	}
}

func TestTrackReturnsWorkError(t *testing.T) {
	t.Parallel()
	api := &checkruntest.API{}
	boom := errors.New("boom")
	_, err := New(api, Config{InProgressAfter: time.Hour}).Track(context.Background(), target, func(context.Context) (Output, error) {
		return Output{}, boom
	})
	if !errors.Is(err, boom) || len(api.Writes()) != 0 {
		t.Errorf("err %v, writes %v; want the work's error and no write", err, api.Writes())
	}
}

func TestTrackWorkNotNeeded(t *testing.T) {
	t.Parallel()
	for _, slow := range []bool{false, true} {
		t.Run(fmt.Sprintf("shown in progress %v", slow), func(t *testing.T) {
			t.Parallel()
			api := &checkruntest.API{}
			after := time.Hour
			if slow {
				after = time.Millisecond
			}
			moot := fmt.Errorf("%w: the pull request moved on", ErrNotNeeded)
			_, err := New(api, Config{InProgressAfter: after}).Track(context.Background(), target, func(context.Context) (Output, error) {
				for slow && len(api.Writes()) == 0 {
					time.Sleep(time.Millisecond)
				}
				return Output{}, moot
			})
			if !errors.Is(err, ErrNotNeeded) {
				t.Fatalf("err %v, want the work's", err)
			}
			runs := api.Runs()
			switch {
			case !slow && len(api.Writes()) != 0:
				t.Errorf("writes %v for work not needed, want none", api.Writes())
			case slow && (len(runs) != 1 || runs[0].Status != StatusCompleted || runs[0].Conclusion != Neutral):
				t.Errorf("runs %+v; want the run shown in progress completed neutral", runs)
			}
		})
	}
}
