package catalog

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// benchSourceSize is how many entities each synthetic source declares.
const benchSourceSize = 100

// synthSource declares n components of repo; owner varies the content of
// the first one.
func synthSource(repo string, n int, commit, owner string) Source {
	src := Source{Repo: repo, URL: "https://github.com/" + repo, Commit: commit}
	for i := range n {
		o := "team-a"
		if i == 0 {
			o = owner
		}
		p := fmt.Sprintf("services/svc-%05d/catalog-info.yaml", i)
		name := fmt.Sprintf("%s-svc-%05d", filepath.Base(repo), i)
		src.Entities = append(src.Entities, ParseFile(p, []byte(component(name, o)), 0)...)
	}
	return src
}

// benchCatalog builds a central repository of n entities from sources of
// benchSourceSize entities each.
func benchCatalog(b *testing.B, n int) (*Store, string) {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "central.git")
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Wait)
	for i := range n / benchSourceSize {
		src := synthSource(fmt.Sprintf("acme/repo-%04d", i), benchSourceSize, sha('a'), "team-a")
		if _, err := s.Sync(context.Background(), src); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	s.Wait() // upkeep of the build, then measure the steady state
	b.Logf("upkeep after building %d entities: %s", n, time.Since(start))
	return s, dir
}

func reportMS(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// BenchmarkSync measures recording a push that changes one entity in
// catalogs of growing size, a full sync of 10,000 entities into an empty
// repository, and, for comparison, git add and git commit by the git CLI
// changing one file in a worktree of the same 10,000-entity catalog.
func BenchmarkSync(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("change-one/entities=%d", n), func(b *testing.B) {
			s, _ := benchCatalog(b, n)
			benchChangeOne(b, s)
		})
	}
	b.Run("full/entities=10000", func(b *testing.B) {
		src := synthSource("acme/monorepo", 10000, sha('a'), "team-a")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s, err := Open(filepath.Join(b.TempDir(), fmt.Sprintf("c%d.git", i)))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if res, err := s.Sync(ctx, src); err != nil || len(res.Added) != 10000 {
				b.Fatalf("sync: %d added, %v", len(res.Added), err)
			}
		}
		reportMS(b)
	})
	b.Run("git-cli/entities=10000", benchGitCLI)
}

// benchGitCLI changes one file of a checked-out 10,000-entity catalog and
// records it with git add -A and git commit, as a worktree-based writer
// would.
func benchGitCLI(b *testing.B) {
	_, central := benchCatalog(b, 10000)
	work := filepath.Join(b.TempDir(), "work")
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", work, "-c", "user.name=portico", "-c", "user.email=portico@localhost", "-c", "gc.auto=0", "-c", "maintenance.auto=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if out, err := exec.Command("git", "clone", "-q", central, work).CombinedOutput(); err != nil {
		b.Fatalf("git clone: %v\n%s", err, out)
	}
	file := filepath.Join(work, "catalog/default/component/repo-0000-svc-00000.yaml")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := os.WriteFile(file, []byte(component("repo-0000-svc-00000", fmt.Sprintf("team-%d", i))), 0o644); err != nil {
			b.Fatal(err)
		}
		run("add", "-A")
		run("commit", "-q", "-m", "change one")
	}
	reportMS(b)
}

// BenchmarkRemoteSync measures recording a push that changes one entity
// of a catalog hosted on the fake GitHub: fetch, commit and push through
// the real git http-backend, with an installation token.
func BenchmarkRemoteSync(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("change-one/entities=%d", n), func(b *testing.B) { benchRemoteSync(b, n) })
	}
}

func benchRemoteSync(b *testing.B, n int) {
	ctx := context.Background()
	_, seed := benchCatalog(b, n)
	h := newHostedTB(b)
	if out, err := exec.Command("git", "-C", seed, "push", "-q", h.tokenURL(b), "main").CombinedOutput(); err != nil {
		b.Fatalf("seed the remote: %v\n%s", err, out)
	}
	s, err := Open(filepath.Join(b.TempDir(), "mirror.git"), WithRemote(Remote{URL: h.url, Auth: h.auth}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Wait)
	if err := s.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	benchChangeOne(b, s)
}

// benchChangeOne times syncs that change one entity of a catalog built
// by benchCatalog, alternating between two versions of it.
func benchChangeOne(b *testing.B, s *Store) {
	srcs := [2]Source{
		synthSource("acme/repo-0000", benchSourceSize, sha('b'), "team-b"),
		synthSource("acme/repo-0000", benchSourceSize, sha('c'), "team-c"),
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Sync(context.Background(), srcs[i%2])
		if err != nil || res.Summary() != "+0 ~1 -0" {
			b.Fatalf("sync = %+v, %v", res, err)
		}
	}
	reportMS(b)
}

// BenchmarkUpkeep measures one-entity syncs of a 10,000-entity catalog
// (all in one directory, the worst case) with the upkeep that packs loose
// objects running beside them, and the repository's growth per sync once
// everything is packed.
func BenchmarkUpkeep(b *testing.B) {
	s, dir := benchCatalog(b, 10000)
	ctx := context.Background()
	srcs := make([]Source, b.N)
	for i := range srcs { // a new owner each time: every sync writes new trees
		srcs[i] = synthSource("acme/repo-0000", benchSourceSize, sha('b'+byte(i%2)), fmt.Sprintf("team-%d", i))
	}
	before := dirSize(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Sync(ctx, srcs[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportMS(b)
	s.Wait()
	if err := s.upkeep(1); err != nil { // pack the tail too: measure what stays
		b.Fatal(err)
	}
	b.ReportMetric(float64(dirSize(b, dir)-before)/1024/float64(b.N), "KiB/sync")
}

func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
