package upgrade

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

type fakeCatalog []Use

func (c fakeCatalog) Generated(context.Context) ([]Use, error) { return c, nil }

type fakeInserter struct{ args []river.JobArgs }

func (f *fakeInserter) Insert(_ context.Context, args ...river.JobArgs) error {
	f.args = append(f.args, args...)
	return nil
}

func triggers(cat fakeCatalog) (*Triggers, *fakeInserter, *Adoption) {
	c := &fakeConnector{platform: &fakePlatform{
		commits: map[string]fstest.MapFS{commitA: v100.platform(), commitB: v110.platform()}, tip: commitB}}
	ins := &fakeInserter{}
	adoption := NewAdoption(nil)
	return NewTriggers(NewFlow(c, adoption), ins, cat, nil), ins, adoption
}

// A template bump queues one job per repository of the account behind
// it; repositories at the version, of other templates or of another
// account are left alone.
func TestFanOutQueuesRepositoriesBehind(t *testing.T) {
	t.Parallel()
	tr, ins, adoption := triggers(fakeCatalog{
		{Owner: "acme", Repo: "pay", Template: "svc", Version: "1.0.0"},
		{Owner: "ACME", Repo: "bill", Template: "svc", Version: "0.9.0"},
		{Owner: "acme", Repo: "done", Template: "svc", Version: "1.1.0"},
		{Owner: "acme", Repo: "web", Template: "site", Version: "1.0.0"},
		{Owner: "other", Repo: "pay", Template: "svc", Version: "1.0.0"},
	})
	job := &river.Job[FanOutArgs]{Args: FanOutArgs{InstallationID: 7, Account: "acme", Commit: commitB}}
	if err := tr.FanOut(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	want := []Args{
		{InstallationID: 7, Owner: "acme", Repo: "pay", Template: "svc", Version: "1.1.0"},
		{InstallationID: 7, Owner: "ACME", Repo: "bill", Template: "svc", Version: "1.1.0"},
	}
	if len(ins.args) != len(want) {
		t.Fatalf("queued %v, want %v", ins.args, want)
	}
	for i, a := range ins.args {
		if a.(Args) != want[i] {
			t.Errorf("job %d = %+v, want %+v", i, a, want[i])
		}
	}
	if adoption.Count("svc", "1.0.0") != 1 || adoption.Count("svc", "1.1.0") != 1 {
		t.Errorf("adoption: 1.0.0 %d, 1.1.0 %d", adoption.Count("svc", "1.0.0"), adoption.Count("svc", "1.1.0"))
	}
}

// A sync that finds a repository behind queues its job, marked synced
// (a higher priority); one at the version queues nothing.
func TestSyncedQueuesARepositoryBehind(t *testing.T) {
	t.Parallel()
	tr, ins, _ := triggers(nil)
	uses := []Use{{Owner: "acme", Repo: "pay", Template: "svc", Version: "1.0.0"}, {Owner: "acme", Repo: "pay", Template: "gone", Version: "1.0.0"}}
	if err := tr.Synced(context.Background(), 7, uses); err != nil {
		t.Fatal(err)
	}
	if err := tr.Synced(context.Background(), 7, []Use{{Owner: "acme", Repo: "new", Template: "svc", Version: "1.1.0"}}); err != nil {
		t.Fatal(err)
	}
	want := Args{InstallationID: 7, Owner: "acme", Repo: "pay", Template: "svc", Version: "1.1.0", Synced: true}
	if len(ins.args) != 1 || ins.args[0].(Args) != want {
		t.Fatalf("queued %v, want %+v", ins.args, want)
	}
	if p := want.InsertOpts(); p.Queue != Queue || p.Priority != syncedPriority || !p.UniqueOpts.ByArgs {
		t.Errorf("insert opts %+v", p)
	}
}

func TestPushJobs(t *testing.T) {
	t.Parallel()
	const sha = "cccccccccccccccccccccccccccccccccccccccc"
	payload := func(repo, ref, file string) []byte {
		return []byte(`{"ref":"` + ref + `","after":"` + sha + `","installation":{"id":7},
			"repository":{"full_name":"` + repo + `","default_branch":"main","owner":{"login":"acme"}},
			"commits":[{"added":[],"modified":["` + file + `"],"removed":[]}]}`)
	}
	tests := []struct {
		name    string
		payload []byte
		want    bool
	}{
		{"template changed", payload("acme/platform", "refs/heads/main", "templates/svc/template.yaml"), true},
		{"case of the name", payload("Acme/Platform", "refs/heads/main", "templates/svc/skeleton/x"), true},
		{"policies only", payload("acme/platform", "refs/heads/main", "policies/a.rego"), false},
		{"another branch", payload("acme/platform", "refs/heads/dev", "templates/svc/template.yaml"), false},
		{"another repository", payload("acme/pay", "refs/heads/main", "templates/svc/template.yaml"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			jobs, err := PushJobs("acme/platform", tt.payload)
			if err != nil || (len(jobs) == 1) != tt.want {
				t.Fatalf("jobs %v err %v, want a fan-out: %v", jobs, err, tt.want)
			}
			if tt.want && jobs[0].(FanOutArgs) != (FanOutArgs{InstallationID: 7, Account: "acme", Commit: sha}) {
				t.Errorf("job %+v", jobs[0])
			}
		})
	}
	if _, err := PushJobs("acme/platform", []byte("{")); err == nil {
		t.Error("a malformed payload must be an error")
	}
}

// The pacer admits a minute's burst, then one job per interval.
func TestPacer(t *testing.T) {
	t.Parallel()
	p := newPacer(120) // burst 2, one every 30 s
	now := time.Unix(0, 0)
	for i := range 2 {
		if _, ok := p.take(now); !ok {
			t.Fatalf("job %d of the burst refused", i)
		}
	}
	wait, ok := p.take(now)
	if ok || wait != 30*time.Second {
		t.Fatalf("third job: ok %v wait %s, want a 30 s wait", ok, wait)
	}
	if _, ok := p.take(now.Add(wait)); !ok {
		t.Error("refused after its wait")
	}
	if _, ok := newPacer(0).take(now); !ok {
		t.Error("an unpaced pacer refused")
	}
}

func TestSections(t *testing.T) {
	t.Parallel()
	log := "# Changelog\n\n## Unreleased\n\n- soon\n\n## [1.3.0]\n\n### Fixed\n\n- c\n\n## v1.2.0 - 2026-01-01\n\n- b\n\n## 1.1.0\n\n- a\n"
	got := Sections([]byte(log), "1.1.0", "1.3.0")
	want := "## [1.3.0]\n\n### Fixed\n\n- c\n\n## v1.2.0 - 2026-01-01\n\n- b"
	if got != want {
		t.Errorf("Sections = %q, want %q", got, want)
	}
	if got := Sections([]byte(log), "1.3.0", "1.3.0"); got != "" {
		t.Errorf("no version in range, got %q", got)
	}
	if got := Sections([]byte(log), "x", "1.3.0"); got != "" {
		t.Errorf("a bad version, got %q", got)
	}
}

// Every outcome is a label from typed values, zero from the start; the
// adoption gauge counts each repository at its last seen version.
func TestMetricsLabels(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	NewMetrics(reg).count(Report{Stop: MissingParameters}.Label())
	m.count(Report{Stop: Published, Outcome: Outcome{Result: SkippedHumanEdit}}.Label())
	a := NewAdoption(reg)
	a.Observe("acme/pay", "svc", "1.0.0")
	a.Observe("acme/bill", "svc", "1.0.0")
	a.Observe("acme/pay", "svc", "1.1.0")
	got := gather(t, reg)
	want := map[string]float64{
		`portico_template_repositories{template="svc",version="1.0.0"}`: 1,
		`portico_template_repositories{template="svc",version="1.1.0"}`: 1,
		`portico_template_upgrades_total{outcome="missing_parameters"}`: 1,
		`portico_template_upgrades_total{outcome="skipped_human_edit"}`: 1,
		`portico_template_upgrades_total{outcome="created"}`:            0,
		`portico_template_upgrades_total{outcome="error"}`:              0,
		`portico_template_upgrades_total{outcome="current"}`:            0,
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
	n := 0
	for k := range got {
		if strings.HasPrefix(k, "portico_template_upgrades_total") {
			n++
		}
	}
	if n != len(Results)+len(Stops)+1 {
		t.Errorf("%d outcome labels, want %d", n, len(Results)+len(Stops)+1)
	}
}

// gather flattens a registry into "name{label=value,...}" -> value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			out[mf.GetName()+"{"+strings.Join(labels, ",")+"}"] = v
		}
	}
	return out
}
