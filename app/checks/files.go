package checks

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"sync"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
	"github.com/portico-dev/portico/app/validate"
)

// fetchParallelism bounds concurrent content requests of one check.
const fetchParallelism = 4

// maxChangedDescriptors bounds the descriptors one check reads; GitHub
// lists at most 3,000 files of a pull request anyway.
const maxChangedDescriptors = 1000

// changes lists the files the pull requests change, the first pull
// request's first: they share a head, so their changes differ only by
// their bases.
func changes(ctx context.Context, repo Repo, numbers []int) ([][]Change, error) {
	out := make([][]Change, len(numbers))
	for i, n := range numbers {
		files, err := repo.ChangedFiles(ctx, n)
		if err != nil {
			return nil, err
		}
		out[i] = files
	}
	return out, nil
}

// changedDescriptors lists the descriptor files the pull requests add,
// modify or rename, without duplicates.
func (r *Runner) changedDescriptors(changed [][]Change) []string {
	seen := map[string]bool{}
	var out []string
	for _, files := range changed {
		for _, f := range files {
			p := f.Path
			if f.Status != "removed" && r.matcher.Match(p) && !seen[p] && len(out) < maxChangedDescriptors {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// fetched is one changed descriptor as read at the head commit: its
// content, or the result for a file refused for its size.
type fetched struct {
	path    string
	content []byte
	refused *report.File
}

// validateChanges reads every changed descriptor at the head commit, then
// checks each one. Reading all first lets the reference check accept
// entities that another file of the change declares. A file that cannot
// be read fails the job (it is retried); a file over the size cap is a
// finding.
func (r *Runner) validateChanges(ctx context.Context, repo Repo, sha string, changed [][]Change, chk *validate.Checker) (*result, error) {
	paths := r.changedDescriptors(changed)
	got, err := fetchAll(ctx, repo, sha, paths, chk.MaxBytes())
	if err != nil {
		return nil, err
	}
	chk = chk.WithDeclared(declared(got, chk.MaxBytes()))
	tc, err := r.checkTemplates(ctx, repo, sha, changed, chk)
	if err != nil {
		return nil, err
	}
	res := &result{heads: map[string][]byte{}}
	head := newHeadFiles(repo, sha)
	for _, f := range got {
		if f.refused == nil {
			res.heads[f.path] = f.content
		}
		if rendered, ok := tc.result(f.path); ok && f.refused == nil {
			tc.done(f.path)
			res.files = append(res.files, rendered)
			res.summary.Add(rendered)
			continue
		}
		if f.refused == nil && descriptor.IsSkeleton(f.content) {
			res.skeletons = append(res.skeletons, f.path)
			continue
		}
		file := f.refused
		if file == nil {
			if file, err = chk.CheckIn(ctx, f.path, f.content, head); err != nil {
				return nil, err
			}
		}
		res.files = append(res.files, file)
		res.summary.Add(file)
	}
	for _, file := range tc.rest() {
		res.files = append(res.files, file)
		res.summary.Add(file)
	}
	return res, nil
}

// fetchAll reads the files with bounded parallelism, in the order given.
func fetchAll(ctx context.Context, repo Repo, sha string, paths []string, maxBytes int64) ([]fetched, error) {
	got := make([]fetched, len(paths))
	errs := make([]error, len(paths))
	sem := make(chan struct{}, fetchParallelism)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got[i], errs[i] = fetch(ctx, repo, sha, p, maxBytes)
		}()
	}
	wg.Wait()
	return got, errors.Join(errs...)
}

func fetch(ctx context.Context, repo Repo, sha, path string, maxBytes int64) (fetched, error) {
	content, size, err := repo.File(ctx, path, sha)
	if err != nil {
		return fetched{}, err
	}
	if size > maxBytes || int64(len(content)) > maxBytes {
		return fetched{path: path, refused: validate.TooLarge(path, max(size, int64(len(content))), maxBytes)}, nil
	}
	return fetched{path: path, content: content}, nil
}

// declared lists the entities the change's files declare.
func declared(files []fetched, maxBytes int64) []descriptor.Ref {
	var refs []descriptor.Ref
	for _, f := range files {
		if descriptor.IsSkeleton(f.content) {
			continue
		}
		for _, d := range descriptor.Parse(f.content, maxBytes).Documents {
			if d.Root != nil && d.Kind() != "" && d.Name() != "" {
				refs = append(refs, descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()})
			}
		}
	}
	return refs
}

// headFiles reads the files that placeholders name at the head commit,
// through the contents API that reads the descriptors. It reads each
// file once per check, however many placeholders name it (each read is
// a request to GitHub); failures other than a missing file are not kept.
type headFiles struct {
	repo Repo
	sha  string
	read map[string]headFile
}

type headFile struct {
	content []byte
	size    int64
	err     error
}

func newHeadFiles(repo Repo, sha string) *headFiles {
	return &headFiles{repo: repo, sha: sha, read: map[string]headFile{}}
}

func (h *headFiles) ReadFile(ctx context.Context, name string, _ int64) ([]byte, int64, error) {
	if f, ok := h.read[name]; ok {
		return f.content, f.size, f.err
	}
	content, size, err := h.repo.File(ctx, name, h.sha)
	if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		h.read[name] = headFile{content, size, err}
	}
	return content, size, err
}
