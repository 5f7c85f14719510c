package checks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/google/go-github/v62/github"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/validate"
)

// fetchParallelism bounds concurrent content requests of one check.
const fetchParallelism = 4

// maxChangedDescriptors bounds the descriptors one check reads; GitHub
// lists at most 3,000 files of a pull request anyway.
const maxChangedDescriptors = 1000

// changedDescriptors lists the descriptor files the pull requests add or
// modify, following pagination, without duplicates.
func (r *Runner) changedDescriptors(ctx context.Context, c *github.Client, a CheckArgs, numbers []int) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, n := range numbers {
		opts := &github.ListOptions{PerPage: 100}
		for {
			files, resp, err := c.PullRequests.ListFiles(ctx, a.Owner, a.Repo, n, opts)
			if err != nil {
				return nil, fmt.Errorf("files of pull request #%d: %w", n, err)
			}
			for _, f := range files {
				p := f.GetFilename()
				if f.GetStatus() != "removed" && r.matcher.Match(p) && !seen[p] && len(out) < maxChangedDescriptors {
					seen[p] = true
					out = append(out, p)
				}
			}
			if resp.NextPage == 0 {
				break
			}
			opts.Page = resp.NextPage
		}
	}
	slices.Sort(out)
	return out, nil
}

// fetched is one changed descriptor as read at the head commit: its
// content, or the result for a file refused before download.
type fetched struct {
	path    string
	content []byte
	refused *report.File
}

// validateChanges reads every changed descriptor at the head commit, then
// checks each one. Reading all first lets the reference check accept
// entities that another file of the change declares. A file that cannot
// be read fails the job (it is retried); a file over the size cap is a
// finding, refused before it is fetched.
func (r *Runner) validateChanges(ctx context.Context, c *github.Client, a CheckArgs, numbers []int, chk *validate.Checker) (*result, error) {
	paths, err := r.changedDescriptors(ctx, c, a, numbers)
	if err != nil {
		return nil, err
	}
	got, err := r.fetchAll(ctx, c, a, paths, chk.MaxBytes())
	if err != nil {
		return nil, err
	}
	chk = chk.WithDeclared(declared(got, chk.MaxBytes()))
	res := &result{}
	for _, f := range got {
		file := f.refused
		if file == nil {
			file = chk.Check(ctx, f.path, f.content)
		}
		res.files = append(res.files, file)
		res.summary.Add(file)
	}
	return res, nil
}

// fetchAll reads the files with bounded parallelism, in the order given.
func (r *Runner) fetchAll(ctx context.Context, c *github.Client, a CheckArgs, paths []string, maxBytes int64) ([]fetched, error) {
	got := make([]fetched, len(paths))
	errs := make([]error, len(paths))
	sem := make(chan struct{}, fetchParallelism)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got[i], errs[i] = r.fetch(ctx, c, a, p, maxBytes)
		}()
	}
	wg.Wait()
	return got, errors.Join(errs...)
}

func (r *Runner) fetch(ctx context.Context, c *github.Client, a CheckArgs, path string, maxBytes int64) (fetched, error) {
	fc, _, _, err := c.Repositories.GetContents(ctx, a.Owner, a.Repo, path, &github.RepositoryContentGetOptions{Ref: a.HeadSHA})
	if err != nil {
		return fetched{}, fmt.Errorf("read %s at %s: %w", path, a.HeadSHA, err)
	}
	if fc == nil {
		return fetched{}, fmt.Errorf("read %s at %s: not a file", path, a.HeadSHA)
	}
	if int64(fc.GetSize()) > maxBytes {
		return fetched{path: path, refused: validate.TooLarge(path, int64(fc.GetSize()), maxBytes)}, nil
	}
	content, err := fc.GetContent()
	if err != nil {
		return fetched{}, fmt.Errorf("decode %s: %w", path, err)
	}
	return fetched{path: path, content: []byte(content)}, nil
}

// declared lists the entities the change's files declare.
func declared(files []fetched, maxBytes int64) []descriptor.Ref {
	var refs []descriptor.Ref
	for _, f := range files {
		for _, d := range descriptor.Parse(f.content, maxBytes).Documents {
			if d.Root != nil && d.Kind() != "" && d.Name() != "" {
				refs = append(refs, descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()})
			}
		}
	}
	return refs
}
