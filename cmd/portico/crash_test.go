package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/portico-dev/portico/app/githubtest"
	"github.com/portico-dev/portico/app/loadgen"
)

// TestKill9LosesNothing sends a burst of 500 deliveries for 25 pull
// requests, kills portico with SIGKILL in the middle of it, restarts it,
// and redelivers what got no 2xx, as GitHub's redelivery would. Every
// delivery that was acknowledged must be processed, and each head must end
// with exactly one completed check run.
func TestKill9LosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test takes about half a minute")
	}
	t.Parallel()
	a := newApp(t)
	a.env = []string{"PORTICO_JOB_TIMEOUT=5s", "PORTICO_JOB_RESCUE_AFTER=6s", "PORTICO_JOB_KEY_LEASE=3s"}
	a.start()
	prs := openPulls(t, a, 25)
	var burst []loadgen.Delivery
	for i := range 500 {
		burst = append(burst, loadgen.Synchronize(prs[i%len(prs)], loadgen.PayloadGitHub))
	}
	opts := loadgen.Options{URL: "http://" + a.addr + "/webhooks", Secret: a.cred.WebhookSecret, Concurrency: 16, Timeout: 5 * time.Second}
	first := loadgen.Run(context.Background(), opts, burst[:200])
	done := make(chan loadgen.Result)
	go func() { done <- loadgen.Run(context.Background(), opts, burst[200:]) }()
	time.Sleep(40 * time.Millisecond)
	a.stop(syscall.SIGKILL)
	second := <-done
	accepted, redeliver := split(burst, append(first.Outcomes, second.Outcomes...))
	t.Logf("before the kill: %d of 500 deliveries acknowledged; %d to redeliver", len(accepted), len(redeliver))
	if len(redeliver) == 0 {
		t.Log("the kill came after the whole burst was answered; the test still checks that nothing acknowledged was lost")
	}

	a.start()
	again := loadgen.Run(context.Background(), opts, redeliver)
	if again.Accepted != len(redeliver) {
		t.Fatalf("redelivery after restart: %s", again)
	}
	for _, d := range redeliver {
		accepted[d.ID] = true
	}
	waitProcessed(t, a, accepted)
	for _, pr := range prs {
		runs := a.gh.CheckRuns("acme", "web", pr.HeadSHA)
		if len(runs) != 1 || runs[0].Status != "completed" {
			t.Errorf("%s: %d check runs (want exactly one, completed): %+v", pr.HeadSHA, len(runs), runs)
		}
	}
}

// openPulls opens n pull requests, each changing a descriptor.
func openPulls(t *testing.T, a *app, n int) []loadgen.PullRequest {
	t.Helper()
	var out []loadgen.PullRequest
	for i := range n {
		branch := fmt.Sprintf("change-%d", i)
		desc := fmt.Sprintf("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-%d, description: d}\nspec: {type: team, children: []}\n", i)
		if _, err := a.gh.Commit("acme", "web", branch, githubtest.Files{"catalog-info.yaml": githubtest.Text(desc)}, "team"); err != nil {
			t.Fatal(err)
		}
		pr, err := a.gh.OpenPullRequest("acme", "web", branch, "main", branch)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, loadgen.PullRequest{Installation: a.inst, Owner: "acme", Repo: "web", Number: pr.Number, HeadSHA: pr.HeadSHA})
	}
	return out
}

// split sorts the burst into deliveries acknowledged with a 2xx and those
// to deliver again.
func split(ds []loadgen.Delivery, outcomes []loadgen.Outcome) (map[string]bool, []loadgen.Delivery) {
	status := map[string]int{}
	for _, o := range outcomes {
		status[o.ID] = o.Status
	}
	accepted := map[string]bool{}
	var again []loadgen.Delivery
	for _, d := range ds {
		if s := status[d.ID]; s >= 200 && s < 300 {
			accepted[d.ID] = true
		} else {
			again = append(again, d)
		}
	}
	return accepted, again
}

// waitProcessed waits until every id in want is recorded and completed in
// portico's database, reading it as another process would.
func waitProcessed(t *testing.T, a *app, want map[string]bool) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(a.dataDir, "portico.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(90 * time.Second)
	var pending []string
	for time.Now().Before(deadline) {
		pending = pendingDeliveries(t, db, want)
		if len(pending) == 0 {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("%d acknowledged deliveries not processed, e.g. %v; logs:\n%s", len(pending), pending[:min(5, len(pending))], tail(a.logs.String(), 4000))
}

func pendingDeliveries(t *testing.T, db *sql.DB, want map[string]bool) []string {
	t.Helper()
	rows, err := db.Query(`SELECT id, outcome FROM deliveries`)
	if err != nil {
		return []string{err.Error()}
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var id, outcome string
		if err := rows.Scan(&id, &outcome); err != nil {
			t.Fatal(err)
		}
		if outcome == "failed" {
			t.Fatalf("delivery %s failed", id)
		}
		// ignored: the delivery's check was merged into an equal one of the
		// same head already queued or running, which does its work.
		done[id] = outcome == "completed" || outcome == "ignored"
	}
	var pending []string
	for id := range want {
		if !done[id] {
			pending = append(pending, id)
		}
	}
	return pending
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
