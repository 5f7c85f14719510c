package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/portico-dev/portico/app/githubtest"
)

// hosted is a central repository on the fake GitHub, served by the real
// git http-backend, and an installation token that may write it.
type hosted struct {
	fake   *githubtest.Server
	token  string
	url    string
	remote string // the bare repository behind url
}

func newHosted(t *testing.T) *hosted { return newHostedTB(t) }

func newHostedTB(t testing.TB) *hosted {
	t.Helper()
	fake := githubtest.New(t)
	if err := fake.CreateRepo("acme", "catalog", "main"); err != nil {
		t.Fatal(err)
	}
	tok, err := fake.InstallationToken("acme")
	if err != nil {
		t.Fatal(err)
	}
	return &hosted{fake: fake, token: tok, url: fake.GitURL("acme", "catalog"),
		remote: filepath.Join(fake.Dir(), "repos", "acme", "catalog.git")}
}

func (h *hosted) auth(context.Context) (transport.AuthMethod, error) {
	return &githttp.BasicAuth{Username: "x-access-token", Password: h.token}, nil
}

// open opens a replica: a local mirror of the hosted repository.
func (h *hosted) open(t *testing.T, opts ...Option) (*Store, string) {
	t.Helper()
	return openTemp(t, append([]Option{WithRemote(Remote{URL: h.url, Auth: h.auth})}, opts...)...)
}

// restart opens the mirror at local again, as a restarted server does,
// and refreshes it.
func (h *hosted) restart(t *testing.T, local string) *Store {
	t.Helper()
	s, err := Open(local, WithRemote(Remote{URL: h.url, Auth: h.auth}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Wait)
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// tokenURL is the repository's address with the token in it, for the git
// CLI.
func (h *hosted) tokenURL(testing.TB) string {
	return strings.Replace(h.url, "://", "://x-access-token:"+h.token+"@", 1)
}

func TestRemoteSyncPushes(t *testing.T) {
	t.Parallel()
	h := newHosted(t)
	s, local := h.open(t)
	res := mustSync(t, s, source("acme/shop", sha('a'), map[string]string{"catalog-info.yaml": component("cart", "team-a")}))
	if got := strings.TrimSpace(gitCLI(t, h.remote, "rev-parse", "main")); got != res.Commit {
		t.Fatalf("remote main = %s, want the sync's commit %s", got, res.Commit)
	}
	if got := subjects(t, h.remote); len(got) != 1 || got[0] != "sync acme/shop@aaaaaaa: +1 ~0 -0" {
		t.Errorf("remote history = %q", got)
	}
	res, err := s.Remove(context.Background(), "acme/shop")
	if err != nil || res.Commit == "" {
		t.Fatalf("Remove = %+v, %v", res, err)
	}
	if got := strings.TrimSpace(gitCLI(t, h.remote, "rev-parse", "main")); got != res.Commit {
		t.Errorf("remote main after Remove = %s, want %s", got, res.Commit)
	}
	if got := gitCLI(t, local, "for-each-ref", "refs/portico/"); got != "" {
		t.Errorf("unpublished refs kept: %q", got)
	}
}

// TestRemoteConcurrentWriters runs twenty syncs from different
// repositories at once, each recorded twice in order, through two replicas
// of the catalog, while a person pushes commits of their own to the same
// branch: every version lands, in order, and the person's work stays.
func TestRemoteConcurrentWriters(t *testing.T) {
	t.Parallel()
	h := newHosted(t)
	replicas := make([]*Store, 2)
	for i := range replicas {
		replicas[i], _ = h.open(t)
	}
	human := startHumanPusher(t, h, 8)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, repo := replicas[i%2], fmt.Sprintf("acme/svc-%02d", i)
			for v := 1; v <= 2; v++ {
				src := source(repo, sha(byte('0'+v)), map[string]string{"catalog-info.yaml": versioned(fmt.Sprintf("svc-%02d", i), v)})
				if res, err := s.Sync(context.Background(), src); err != nil || res.Commit == "" {
					errs <- fmt.Errorf("%s v%d: %+v, %w", repo, v, res, err)
				}
			}
		}()
	}
	wg.Wait()
	notes := human.stop(t)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	log := subjects(t, h.remote)
	for i := range 20 {
		repo := fmt.Sprintf("acme/svc-%02d", i)
		v1 := indexOf(log, fmt.Sprintf("sync %s@1111111: +1 ~0 -0", repo))
		v2 := indexOf(log, fmt.Sprintf("sync %s@2222222: +0 ~1 -0", repo))
		if v1 < 0 || v2 < 0 || v2 > v1 { // newest first
			t.Errorf("%s: v1 at %d, v2 at %d in the remote history", repo, v1, v2)
		}
		entity := gitCLI(t, h.remote, "show", fmt.Sprintf("main:catalog/default/component/svc-%02d.yaml", i))
		if !strings.Contains(entity, "lifecycle: v2") {
			t.Errorf("%s: recorded entity is not version 2:\n%s", repo, entity)
		}
	}
	for _, n := range notes {
		if got := gitCLI(t, h.remote, "show", "main:notes/"+n); got != n+"\n" {
			t.Errorf("the person's note %s = %q", n, got)
		}
	}
	if merges := gitCLI(t, h.remote, "rev-list", "--merges", "main"); merges != "" {
		t.Errorf("history has merges: %s", merges)
	}
	if got := len(strings.Split(strings.TrimSpace(gitCLI(t, h.remote, "show", "main:catalog-info.yaml")), "\n")); got < 20 {
		t.Errorf("Location has %d lines, want the 20 entities listed", got)
	}
}

// versioned is a component whose lifecycle names its version.
func versioned(name string, v int) string {
	return strings.Replace(component(name, "team-a"), "lifecycle: production", fmt.Sprintf("lifecycle: v%d", v), 1)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// humanPusher is a second writer using the git CLI: it commits notes and
// pushes them, rebasing when the branch moved, until stopped.
type humanPusher struct {
	done  chan struct{}
	out   chan []string
	fails atomic.Int32
}

func startHumanPusher(t *testing.T, h *hosted, max int) *humanPusher {
	t.Helper()
	dir := t.TempDir()
	url := h.tokenURL(t)
	hp := &humanPusher{done: make(chan struct{}), out: make(chan []string, 1)}
	go func() {
		var notes []string
		defer func() { hp.out <- notes }()
		for i := 0; i < max; i++ {
			select {
			case <-hp.done:
				return
			default:
			}
			name := fmt.Sprintf("n%d.md", i)
			if err := pushNote(dir, url, name); err != nil {
				hp.fails.Add(1)
				t.Errorf("person's push of %s: %v", name, err)
				return
			}
			notes = append(notes, name)
		}
	}()
	return hp
}

func (hp *humanPusher) stop(t *testing.T) []string {
	t.Helper()
	close(hp.done)
	notes := <-hp.out
	if len(notes) == 0 && hp.fails.Load() == 0 {
		t.Error("the second writer pushed nothing")
	}
	return notes
}

// pushNote clones (once) and pushes one new file, retrying on a moved
// branch as a person would: pull --rebase, push again.
func pushNote(dir, url, name string) error {
	wt := filepath.Join(dir, "wt")
	run := func(args ...string) error {
		cmd := exec.Command("git", append([]string{"-C", wt, "-c", "user.name=Pat", "-c", "user.email=pat@example.com"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %w: %s", args[0], err, out)
		}
		return nil
	}
	if _, err := os.Stat(wt); errors.Is(err, os.ErrNotExist) {
		if out, err := exec.Command("git", "clone", "--quiet", url, wt).CombinedOutput(); err != nil {
			return fmt.Errorf("clone: %w: %s", err, out)
		}
	}
	if err := os.MkdirAll(filepath.Join(wt, "notes"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(wt, "notes", name), []byte(name+"\n"), 0o644); err != nil {
		return err
	}
	if err := run("add", "notes"); err != nil {
		return err
	}
	if err := run("commit", "--quiet", "-m", "notes: "+name); err != nil {
		return err
	}
	// Like portico, a person refused while the replicas are busy waits a
	// little longer each time before trying again.
	for attempt := 1; attempt <= 30; attempt++ {
		if run("pull", "--quiet", "--rebase", "origin", "main") == nil && run("push", "--quiet", "origin", "HEAD:main") == nil {
			return nil
		}
		time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
	}
	return errors.New("push kept being refused")
}

// TestRemoteCatchUpAfterCrash leaves a commit made but never pushed, as a
// crash between commit and push does, and restarts: the record catches up.
func TestRemoteCatchUpAfterCrash(t *testing.T) {
	t.Parallel()
	h := newHosted(t)
	s, local := h.open(t)
	mustSync(t, s, source("acme/shop", sha('a'), map[string]string{"catalog-info.yaml": component("cart", "team-a")}))
	crashed := commitWithoutPush(t, local, source("acme/shop", sha('b'), map[string]string{"catalog-info.yaml": component("cart", "team-b")}))
	h.restart(t, local)
	if got := strings.TrimSpace(gitCLI(t, h.remote, "rev-parse", "main")); got != crashed {
		t.Errorf("remote main = %s, want the commit made before the crash %s", got, crashed)
	}
}

// TestRemoteCatchUpAfterOvertaken covers the crash when the remote moved
// meanwhile: the unpushed commit is kept under refs/portico/unpublished/,
// the branch follows the remote, and the retried sync lands on top.
func TestRemoteCatchUpAfterOvertaken(t *testing.T) {
	t.Parallel()
	h := newHosted(t)
	a, local := h.open(t)
	b, _ := h.open(t)
	mustSync(t, a, source("acme/shop", sha('a'), map[string]string{"catalog-info.yaml": component("cart", "team-a")}))
	lost := source("acme/shop", sha('b'), map[string]string{"catalog-info.yaml": component("cart", "team-b")})
	crashed := commitWithoutPush(t, local, lost)
	other := mustSync(t, b, source("acme/web", sha('c'), map[string]string{"catalog-info.yaml": component("site", "team-c")}))
	restarted := h.restart(t, local)
	if got := strings.TrimSpace(gitCLI(t, local, "rev-parse", "refs/portico/unpublished/"+crashed)); got != crashed {
		t.Errorf("unpublished commit not kept: %q", got)
	}
	if got := strings.TrimSpace(gitCLI(t, local, "rev-parse", "main")); got != other.Commit {
		t.Errorf("local main = %s, want the remote's %s", got, other.Commit)
	}
	res := mustSync(t, restarted, lost) // the interrupted job, run again
	if res.Summary() != "+0 ~1 -0" {
		t.Errorf("retried sync = %+v", res)
	}
	want := []string{"sync acme/shop@bbbbbbb: +0 ~1 -0", "sync acme/web@ccccccc: +1 ~0 -0", "sync acme/shop@aaaaaaa: +1 ~0 -0"}
	if got := subjects(t, h.remote); !reflect.DeepEqual(got, want) {
		t.Errorf("remote history = %q, want %q", got, want)
	}
}

// TestRemotePushRefused keeps the commit when the remote refuses it (no
// valid credentials for a push to a public repository), and pushes it at
// the next write once access is back.
func TestRemotePushRefused(t *testing.T) {
	t.Parallel()
	h := newHosted(t)
	if err := h.fake.SetVisibility("acme", "catalog", false); err != nil {
		t.Fatal(err)
	}
	var refused atomic.Bool
	refused.Store(true)
	auth := func(ctx context.Context) (transport.AuthMethod, error) {
		if refused.Load() {
			return &githttp.BasicAuth{Username: "x-access-token", Password: "not-a-token"}, nil
		}
		return h.auth(ctx)
	}
	s, _ := openTemp(t, WithRemote(Remote{URL: h.url, Auth: auth}))
	src := source("acme/shop", sha('a'), map[string]string{"catalog-info.yaml": component("cart", "team-a")})
	res, err := s.Sync(context.Background(), src)
	if err == nil || res.Commit == "" {
		t.Fatalf("Sync = %+v, %v; want a commit made and its push refused", res, err)
	}
	if strings.Contains(err.Error(), "not-a-token") {
		t.Errorf("error quotes the credentials: %v", err)
	}
	if got := gitCLI(t, h.remote, "for-each-ref", "refs/heads/"); got != "" {
		t.Errorf("remote has branches after a refused push: %q", got)
	}
	refused.Store(false)
	again, err := s.Sync(context.Background(), src) // the job, retried
	if err != nil || again.Commit != "" {
		t.Errorf("retried Sync = %+v, %v; want nothing new to commit", again, err)
	}
	if got := strings.TrimSpace(gitCLI(t, h.remote, "rev-parse", "main")); got != res.Commit {
		t.Errorf("remote main = %s, want the refused commit %s pushed", got, res.Commit)
	}
}

// commitWithoutPush records src in the local mirror at dir the way a
// Store does, without pushing: the state a crash after the commit leaves.
func commitWithoutPush(t *testing.T, dir string, src Source) string {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return mustSync(t, s, src).Commit
}

// TestRemoteRemoveWhereSeesOtherWriters removes an account's sources
// through a replica that has not seen a source another replica added: the
// removal chooses from the remote's tip, so it goes too.
func TestRemoteRemoveWhereSeesOtherWriters(t *testing.T) {
	t.Parallel()
	h := newHosted(t)
	a, _ := h.open(t)
	b, _ := h.open(t)
	mustSync(t, a, source("acme/one", sha('a'), map[string]string{"catalog-info.yaml": component("one", "t")}))
	mustSync(t, b, source("acme/two", sha('b'), map[string]string{"catalog-info.yaml": component("two", "t")}))
	mustSync(t, b, source("other/three", sha('c'), map[string]string{"catalog-info.yaml": component("three", "t")}))
	res, err := a.RemoveWhere(context.Background(), func(repo string) bool { return strings.HasPrefix(repo, "acme/") })
	if err != nil || res.Summary() != "+0 ~0 -2" {
		t.Fatalf("RemoveWhere = %+v, %v", res, err)
	}
	if got := gitCLI(t, h.remote, "ls-tree", "-r", "--name-only", "main", "catalog"); got != "catalog/default/component/three.yaml\n" {
		t.Errorf("remote entities = %q, want only other/three's", got)
	}
}

// observed records what a Store reports.
type observed struct {
	mu       sync.Mutex
	refusals []int
	pending  bool
}

func (o *observed) Pushed(n int) { o.mu.Lock(); o.refusals = append(o.refusals, n); o.mu.Unlock() }
func (o *observed) Unpushed(p bool) {
	o.mu.Lock()
	o.pending = p
	o.mu.Unlock()
}

// TestRemoteObserved reports a push refused once because another writer
// got there first, and a commit left unpushed.
func TestRemoteObserved(t *testing.T) {
	t.Parallel()
	h := newHosted(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(h.fake.SetVisibility("acme", "catalog", false)) // public: a bad token still fetches
	b, _ := h.open(t)
	var calls atomic.Int32
	var racing, revoked atomic.Bool
	auth := func(ctx context.Context) (transport.AuthMethod, error) {
		// Calls alternate fetch, push; just before the push, b wins.
		if racing.Load() && calls.Add(1) == 2 {
			racing.Store(false)
			mustSync(t, b, source("acme/two", sha('b'), map[string]string{"catalog-info.yaml": component("two", "t")}))
		}
		if revoked.Load() {
			return &githttp.BasicAuth{Username: "x-access-token", Password: "revoked"}, nil
		}
		return h.auth(ctx)
	}
	obs := &observed{}
	a, _ := openTemp(t, WithRemote(Remote{URL: h.url, Auth: auth}), WithObserver(obs))
	mustSync(t, a, source("acme/one", sha('a'), map[string]string{"catalog-info.yaml": component("one", "t")}))
	racing.Store(true)
	mustSync(t, a, source("acme/one", sha('c'), map[string]string{"catalog-info.yaml": component("one", "u")}))
	if !reflect.DeepEqual(obs.refusals, []int{0, 1}) || obs.pending {
		t.Errorf("refusals %v, pending %v; want the second push refused once, nothing pending", obs.refusals, obs.pending)
	}
	revoked.Store(true)
	if _, err := a.Sync(context.Background(), source("acme/one", sha('d'), map[string]string{"catalog-info.yaml": component("one", "v")})); err == nil {
		t.Fatal("sync with a revoked token succeeded")
	}
	if !obs.pending {
		t.Error("the commit left unpushed is not reported")
	}
	revoked.Store(false)
	must(a.Refresh(context.Background()))
	if obs.pending {
		t.Error("still pending after the catch-up pushed it")
	}
}
