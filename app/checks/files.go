package checks

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/google/go-github/v62/github"

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

// validateChanges reads each changed descriptor at the head commit and
// checks it. A file that cannot be read fails the job (it is retried); a
// file over the size cap is a finding, refused before it is fetched.
func (r *Runner) validateChanges(ctx context.Context, c *github.Client, a CheckArgs, numbers []int, chk *validate.Checker) (*result, error) {
	paths, err := r.changedDescriptors(ctx, c, a, numbers)
	if err != nil {
		return nil, err
	}
	files := make([]*report.File, len(paths))
	errs := make([]error, len(paths))
	sem := make(chan struct{}, fetchParallelism)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			files[i], errs[i] = r.checkFile(ctx, c, a, p, chk)
		}()
	}
	wg.Wait()
	res := &result{files: files}
	for i := range files {
		if errs[i] != nil {
			return nil, errs[i]
		}
		res.summary.Add(files[i])
	}
	return res, nil
}

func (r *Runner) checkFile(ctx context.Context, c *github.Client, a CheckArgs, path string, chk *validate.Checker) (*report.File, error) {
	fc, _, _, err := c.Repositories.GetContents(ctx, a.Owner, a.Repo, path, &github.RepositoryContentGetOptions{Ref: a.HeadSHA})
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, a.HeadSHA, err)
	}
	if fc == nil {
		return nil, fmt.Errorf("read %s at %s: not a file", path, a.HeadSHA)
	}
	if int64(fc.GetSize()) > chk.MaxBytes() {
		return validate.TooLarge(path, int64(fc.GetSize()), chk.MaxBytes()), nil
	}
	content, err := fc.GetContent()
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return chk.Check(ctx, path, []byte(content)), nil
}
