package scorecard

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portico-dev/portico/app/corpus"
	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/validate"
	"github.com/portico-dev/portico/policies"
)

// repoFiles is a service repository of a realistic size: 80 paths, with
// a README, CODEOWNERS, a workflow and tests, so every rule looks at it.
func repoFiles(i int) []string {
	files := []string{".github/CODEOWNERS", ".github/workflows/ci.yml", "README.md", "go.mod", "mkdocs.yml"}
	for k := range 25 {
		files = append(files, fmt.Sprintf("internal/pkg%d/handler.go", k), fmt.Sprintf("internal/pkg%d/handler_test.go", k),
			fmt.Sprintf("docs/page%d-%d.md", k, i))
	}
	return files
}

// BenchmarkCorpus compares, on the same 10,000 descriptor files (about
// 16,000 entities) and with the same parallelism, `portico validate`
// with the default policies against reading, parsing and scoring every
// entity with the default scorecards from facts already gathered. Each
// iteration runs both, one after the other, so that the two figures of
// an iteration share the machine's load; it reports each one's wall and
// CPU time per entity and their ratio (score/validate, by CPU time).
func BenchmarkCorpus(b *testing.B) {
	dir := b.TempDir()
	st, err := corpus.Generate(dir, 10000, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as the CLI runs
	var paths []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	repos := make(map[string]*Repo, len(paths))
	for i, p := range paths {
		repos[p] = NewRepo(facts.Repository{Name: p, Files: repoFiles(i), Unknown: []facts.Fact{facts.Protected}})
	}
	pol, err := policy.New(context.Background(), policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	checker := validate.NewChecker(pol, 0)
	e := defaultEngine(b)
	var validateWall, validateCPU, scoreWall, scoreCPU time.Duration
	var scored atomic.Int64
	for b.Loop() {
		wall, cpu := time.Now(), cpuTime()
		w, _ := report.New("json", io.Discard, report.Options{})
		if _, err := validate.Run(context.Background(), checker, []string{dir}, w, validate.Options{}); err != nil {
			b.Fatal(err)
		}
		validateWall, validateCPU = validateWall+time.Since(wall), validateCPU+cpuTime()-cpu
		wall, cpu = time.Now(), cpuTime()
		scored.Store(0)
		scoreAll(b, e, paths, repos, &scored)
		scoreWall, scoreCPU = scoreWall+time.Since(wall), scoreCPU+cpuTime()-cpu
	}
	n := float64(b.N * st.Documents)
	b.ReportMetric(float64(validateWall.Nanoseconds())/n, "validate-ns/entity")
	b.ReportMetric(float64(validateCPU.Nanoseconds())/n, "validate-cpu-ns/entity")
	b.ReportMetric(float64(scoreWall.Nanoseconds())/n, "score-ns/entity")
	b.ReportMetric(float64(scoreCPU.Nanoseconds())/n, "score-cpu-ns/entity")
	b.ReportMetric(float64(scoreCPU)/float64(validateCPU), "score/validate")
	b.ReportMetric(float64(scored.Load()), "results/op")
}

// scoreAll reads, parses and scores every file on GOMAXPROCS workers.
func scoreAll(b *testing.B, e *Engine, paths []string, repos map[string]*Repo, scored *atomic.Int64) {
	next := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				data, err := os.ReadFile(p)
				if err != nil {
					b.Error(err)
					continue
				}
				for _, d := range descriptor.Parse(data, 0).Documents {
					res, err := e.Score(context.Background(), Input{Entity: d, Repo: repos[p]})
					if err != nil {
						b.Error(err)
					}
					scored.Add(int64(len(res)))
				}
			}
		}()
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
}

// BenchmarkScore is the engine alone on one gold service: the cost per
// entity, facts already converted.
func BenchmarkScore(b *testing.B) {
	e := defaultEngine(b)
	in := Input{Entity: parseOne(b, goldService), Repo: NewRepo(facts.Repository{Files: repoFiles(0)})}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Score(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}
