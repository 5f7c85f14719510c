package plan

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/portico-dev/portico/app/templating"
	"github.com/portico-dev/portico/app/tree"
)

// servicePlatform copies the templating package's testdata platform (the
// service template, its shared CI folder) into memory, with the version
// and README changed by edit.
func servicePlatform(b *testing.B, version string, edit func(string) string) fstest.MapFS {
	b.Helper()
	src := os.DirFS("../testdata/platform")
	out := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		s := string(data)
		switch p {
		case "templates/service/template.yaml":
			s = strings.Replace(s, "template-version: 1.2.0", "template-version: "+version, 1)
		case "templates/service/skeleton/README.md":
			s = edit(s)
		}
		out[p] = &fstest.MapFile{Data: []byte(s)}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func benchSide(b *testing.B, fsys fs.FS, commit string) Side {
	b.Helper()
	t, findings := templating.Load(fsys, "templates/service/template.yaml")
	if t == nil {
		b.Fatal(findings)
	}
	return Side{Template: t, FS: fsys, Commit: commit}
}

// BenchmarkUpgrade1000 plans the upgrade of 1,000 generated repositories
// from their recorded trees (each with an edit of its own), render twice,
// merge and diff, on every core, as a fan-out does: the budget is
// 10 s for the 1,000 on this machine's two cores.
func BenchmarkUpgrade1000(b *testing.B) {
	ctx := context.Background()
	base := benchSide(b, servicePlatform(b, "1.2.0", func(s string) string { return s }), commitA)
	target := benchSide(b, servicePlatform(b, "1.3.0", func(s string) string {
		return s + "\n## Operations\n\nSee the runbook.\n"
	}), commitB)
	repos := make([]tree.Tree, 1000)
	answers := make([]*templating.Answers, len(repos))
	for i := range repos {
		values := map[string]any{"name": fmt.Sprintf("svc-%d", i), "owner": "group:team-" + fmt.Sprint(i%20)}
		r, err := base.Template.Render(ctx, base.FS, values, templating.Provenance{Commit: commitA})
		if err != nil {
			b.Fatal(err)
		}
		r["README.md"] = tree.File{Data: append([]byte("<!-- owned by the team -->\n"), r["README.md"].Data...)}
		r["main.go"] = tree.File{Data: []byte("package main\n")}
		repos[i] = r
		if answers[i], err = templating.ParseAnswers(r[templating.AnswersPath].Data); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		planAll(b, ctx, repos, answers, base, target)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/1000repos")
}

func planAll(b *testing.B, ctx context.Context, repos []tree.Tree, answers []*templating.Answers, base, target Side) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, err := Upgrade(ctx, Input{Answers: answers[i], Base: base, Target: target, Ours: TreeFiles(repos[i])})
				if err != nil || !p.Clean() || len(p.Files) != 3 {
					b.Errorf("repo %d: %v (files %v)", i, err, p.Files.Paths())
				}
			}
		}()
	}
	for i := range repos {
		next <- i
	}
	close(next)
	wg.Wait()
}
