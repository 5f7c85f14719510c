package catalogsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/catalog"
	"github.com/portico-dev/portico/app/gh"
)

// listed is a repository as GET /installation/repositories lists it.
func listed(name string, fork, archived bool) map[string]any {
	return map[string]any{"name": name, "full_name": "acme/" + name, "owner": map[string]any{"login": "acme"},
		"fork": fork, "archived": archived, "default_branch": "main", "html_url": "https://github.com/acme/" + name}
}

// installationRepos serves repos a page of two at a time, with GitHub's
// Link header, and counts the pages asked for.
func installationRepos(t *testing.T, repos []map[string]any, pages *int) *github.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/installation/repositories" {
			http.NotFound(w, r)
			return
		}
		*pages++
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		lo, hi := min(len(repos), (page-1)*2), min(len(repos), page*2)
		if hi < len(repos) {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/installation/repositories?page=%d>; rel="next"`, r.Host, page+1))
		}
		json.NewEncoder(w).Encode(map[string]any{"total_count": len(repos), "repositories": repos[lo:hi]})
	}))
	t.Cleanup(srv.Close)
	c := github.NewClient(srv.Client())
	c.BaseURL, _ = url.Parse(srv.URL + "/")
	return c
}

// queue is an Inserter that keeps what it is given.
type queue struct {
	jobs []river.JobArgs
	err  error
}

func (q *queue) Insert(_ context.Context, args ...river.JobArgs) error {
	q.jobs = append(q.jobs, args...)
	return q.err
}

func discovered(names ...string) []river.JobArgs {
	var out []river.JobArgs
	for _, n := range names {
		out = append(out, SyncArgs{InstallationID: 5, Owner: "acme", Repo: n, HTMLURL: "https://github.com/acme/" + n, Branch: "main", Discovered: true})
	}
	return out
}

func TestDiscoverQueuesASyncPerRepository(t *testing.T) {
	t.Parallel()
	repos := []map[string]any{
		listed("web", false, false), listed("lib", true, false), listed("old", false, true),
		listed("api", false, false), listed("bad", false, false), listed("docs", false, false),
	}
	repos[4]["html_url"] = "javascript:alert(1)"
	cases := []struct {
		name  string
		want  []string
		syncs []river.JobArgs
	}{
		{"all", nil, discovered("web", "api", "docs")},
		{"added ones", []string{"ACME/api", "acme/lib"}, discovered("api")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pages := 0
			q := &queue{}
			d := NewDiscoverer(clients{installationRepos(t, repos, &pages)}, q, nil, nil)
			job := &river.Job[DiscoverArgs]{Args: DiscoverArgs{InstallationID: 5, Account: "acme", Repos: tc.want}}
			if err := d.Discover(context.Background(), job); err != nil {
				t.Fatal(err)
			}
			if pages != 3 {
				t.Errorf("read %d pages, want all 3", pages)
			}
			if !reflect.DeepEqual(q.jobs, tc.syncs) {
				t.Errorf("queued %+v\nwant   %+v (no fork, archived or malformed repository)", q.jobs, tc.syncs)
			}
		})
	}
}

func TestDiscoverRetriesWhenSyncsCannotBeQueued(t *testing.T) {
	t.Parallel()
	pages := 0
	q := &queue{err: errors.New("database is locked")}
	d := NewDiscoverer(clients{installationRepos(t, []map[string]any{listed("web", false, false)}, &pages)}, q, nil, nil)
	err := d.Discover(context.Background(), &river.Job[DiscoverArgs]{Args: DiscoverArgs{InstallationID: 5, Account: "acme"}})
	var cancel *river.JobCancelError
	if err == nil || errors.As(err, &cancel) {
		t.Errorf("err = %v, want one River retries", err)
	}
}

// catalogStub is a Remover over a fixed list of sources; removed holds
// what each commit removed.
type catalogStub struct {
	sources []string
	removed [][]string
}

func (c *catalogStub) RemoveWhere(_ context.Context, match func(string) bool) (catalog.Result, error) {
	var repos []string
	for _, s := range c.sources {
		if match(s) {
			repos = append(repos, s)
		}
	}
	if len(repos) == 0 {
		return catalog.Result{}, nil
	}
	c.removed = append(c.removed, repos)
	return catalog.Result{Repo: strings.Join(repos, ", "), Deleted: repos, Commit: "c0ffee"}, nil
}

func TestRemove(t *testing.T) {
	t.Parallel()
	sources := []string{"Acme/api", "acme/web", "acme-labs/x", "other/acme"}
	cases := []struct {
		name string
		args RemoveArgs
		want [][]string
	}{
		{"repositories removed, any case", RemoveArgs{Account: "acme", Repos: []string{"acme/API", "acme/gone"}}, [][]string{{"Acme/api"}}},
		{"installation deleted", RemoveArgs{Account: "ACME", Uninstalled: true}, [][]string{{"Acme/api", "acme/web"}}},
		{"nothing recorded", RemoveArgs{Account: "acme", Repos: []string{"acme/gone"}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := &catalogStub{sources: sources}
			d := NewDiscoverer(nil, nil, store, nil)
			if err := d.Remove(context.Background(), &river.Job[RemoveArgs]{Args: tc.args}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(store.removed, tc.want) {
				t.Errorf("Remove calls %v, want %v (one call, one commit)", store.removed, tc.want)
			}
		})
	}
}

// limitsStub reports one rate limit for every installation.
type limitsStub struct {
	rate gh.Rate
	ok   bool
}

func (l limitsStub) RateLimit(int64) (gh.Rate, bool) { return l.rate, l.ok }

func TestReserve(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	reset := now.Add(20 * time.Minute)
	cases := []struct {
		name   string
		limits RateLimits
		wait   time.Duration // 0: no wait
	}{
		{"no limits known", nil, 0},
		{"not seen yet", limitsStub{}, 0},
		{"plenty left", limitsStub{gh.Rate{Limit: 5000, Remaining: 500, Reset: reset}, true}, 0},
		{"under the reserve", limitsStub{gh.Rate{Limit: 5000, Remaining: 499, Reset: reset}, true}, 20*time.Minute + time.Second},
		{"under the reserve of a larger limit", limitsStub{gh.Rate{Limit: 15000, Remaining: 1000, Reset: reset}, true}, 20*time.Minute + time.Second},
		{"limit not said", limitsStub{gh.Rate{Remaining: 10, Reset: reset}, true}, 20*time.Minute + time.Second},
		{"already reset", limitsStub{gh.Rate{Limit: 5000, Remaining: 0, Reset: now.Add(-time.Second)}, true}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := NewRunner(nil, nil, nil)
			if tc.limits != nil {
				r.WithReserve(tc.limits)
			}
			r.now = func() time.Time { return now }
			got, ok := r.reserveWait(1)
			if ok != (tc.wait > 0) || got != tc.wait {
				t.Errorf("reserveWait = %v, %v; want %v", got, ok, tc.wait)
			}
		})
	}
}

// TestReserveHoldsOnlyDiscoveredSyncs: under the reserve, a discovered
// sync snoozes until the reset without a request; a push's sync goes on.
func TestReserveHoldsOnlyDiscoveredSyncs(t *testing.T) {
	t.Parallel()
	low := limitsStub{gh.Rate{Limit: 5000, Remaining: 10, Reset: time.Now().Add(time.Hour)}, true}
	f := &fakeGitHub{status: http.StatusBadGateway}
	r := NewRunner(clients{f.client(t)}, &recorder{}, nil).WithReserve(low)
	args := SyncArgs{InstallationID: 1, Owner: "acme", Repo: "web", HTMLURL: "https://github.com/acme/web", Branch: "main", Discovered: true}
	err := r.Work(context.Background(), &river.Job[SyncArgs]{Args: args})
	var snooze *river.JobSnoozeError
	if !errors.As(err, &snooze) || snooze.Duration < 59*time.Minute {
		t.Errorf("discovered sync under the reserve: %v, want a snooze until the reset", err)
	}
	args.Discovered, args.HeadSHA = false, headSHA
	err = r.Work(context.Background(), &river.Job[SyncArgs]{Args: args})
	if err == nil || errors.As(err, &snooze) {
		t.Errorf("push's sync under the reserve: %v, want it to go on (and meet the 502)", err)
	}
}
