package validate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
)

// RuleRead marks a file that could not be read.
const RuleRead = "io/read"

// Options configure a run.
type Options struct {
	Globs   []string  // extra file patterns picked up in directories
	Workers int       // parallel checks; default GOMAXPROCS
	Stdin   io.Reader // read for the "-" argument
}

// Result is what a run found.
type Result struct {
	Summary  report.Summary
	IOErrors int // inputs that could not be read (reported as findings too)
	// Skeletons counts template skeleton files (descriptor.IsSkeleton):
	// found, not checked and not in the report.
	Skeletons int
}

type checked struct {
	seq      int
	file     *report.File // nil for a skeleton
	ioFail   bool
	skeleton bool
}

// Run checks every descriptor file named by args (files, directories, "-")
// and writes the results to w in input order. One bad file never stops the
// run; only a failing writer or a cancelled ctx does. A Checker made
// WithReferences makes the run read every file twice: a first pass
// collects the entities the run declares, so that a reference to an
// entity in another file of the same change is not reported.
func Run(ctx context.Context, c *Checker, args []string, w report.Writer, opts Options) (Result, error) {
	m, err := NewMatcher(opts.Globs)
	if err != nil {
		return Result{}, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if c.refs != nil {
		declared, stdin, err := c.declaredRefs(ctx, args, m, opts.Stdin, workers)
		if err != nil {
			return Result{}, err
		}
		c, opts.Stdin = c.withDeclared(declared), stdin
	}
	c = c.withSkeletons()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	inputs := make(chan input, workers)
	results := make(chan checked, workers)
	window := make(chan struct{}, workers*8) // bounds files read but not yet written
	go walk(ctx, args, m, throttle(ctx, inputs, window))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range inputs {
				results <- c.checkInput(ctx, in, opts.Stdin)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	res, err := emit(results, window, w)
	if err == nil {
		err = c.emitTemplateFailures(&res, w)
	}
	if err != nil {
		cancel()
		for range results {
		}
		return res, err
	}
	return res, w.Close(res.Summary)
}

// throttle returns a channel for the walker whose sends first take a place
// in window, so that at most cap(window) files are in flight.
func throttle(ctx context.Context, to chan<- input, window chan struct{}) chan<- input {
	from := make(chan input)
	go func() {
		defer close(to)
		for in := range from {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				continue
			}
			to <- in
		}
	}()
	return from
}

// emit writes results in sequence order as they arrive.
func emit(results <-chan checked, window <-chan struct{}, w report.Writer) (Result, error) {
	var res Result
	pending := map[int]checked{}
	next := 0
	for r := range results {
		pending[r.seq] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			if p.skeleton {
				res.Skeletons++
				continue
			}
			res.Summary.Add(p.file)
			if p.ioFail {
				res.IOErrors++
			}
			if err := w.File(p.file); err != nil {
				return res, fmt.Errorf("write report: %w", err)
			}
		}
	}
	return res, nil
}

func (c *Checker) checkInput(ctx context.Context, in input, stdin io.Reader) checked {
	p := displayPath(in.path)
	err := in.err
	var content []byte
	if err == nil {
		content, err = c.read(in.path, stdin)
	}
	var big *sizeError
	switch {
	case errors.As(err, &big):
		return checked{seq: in.seq, file: fileFailure(p, descriptor.RuleSize, big.Error())}
	case err != nil:
		return checked{seq: in.seq, ioFail: true, file: fileFailure(p, RuleRead, err.Error())}
	}
	if f := c.checkSkeleton(ctx, in.path, p, content); f != nil {
		return checked{seq: in.seq, file: f}
	}
	if descriptor.IsSkeleton(content) {
		return checked{seq: in.seq, skeleton: true}
	}
	return checked{seq: in.seq, file: c.Check(ctx, p, content)}
}

// sizeError refuses a file over the size cap; it is a finding about the
// file, not an I/O failure.
type sizeError struct{ size, limit int64 }

func (e *sizeError) Error() string {
	return fmt.Sprintf("file is %d bytes, over the limit of %d bytes", e.size, e.limit)
}

// read returns a file's content, refusing one over the size cap before
// reading it.
func (c *Checker) read(path string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if path != StdinPath {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Size() > c.maxBytes {
			return nil, &sizeError{size: st.Size(), limit: c.maxBytes}
		}
		r = f
	}
	if r == nil {
		return nil, errors.New("no standard input")
	}
	data, err := io.ReadAll(io.LimitReader(r, c.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// TooLarge is the result for a file of size bytes over limit, refused
// before it is read.
func TooLarge(path string, size, limit int64) *report.File {
	return fileFailure(path, descriptor.RuleSize, (&sizeError{size: size, limit: limit}).Error())
}

func fileFailure(path, rule, msg string) *report.File {
	f := descriptor.Finding{Severity: descriptor.SeverityError, Rule: rule, Message: msg, Line: 1, Column: 1}
	return &report.File{Path: path, Documents: []report.Document{fileDocument([]descriptor.Finding{f})}}
}
