package validate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/portico-dev/portico/app/descriptor"
)

// RuleReference marks a reference to an entity that exists neither in the
// catalog nor among the entities being checked. Backstage never checks
// this: it would show a relation to nothing.
const RuleReference = "catalog/reference"

// Known is the set of entities that references may name, such as the
// central catalog (catalog.Catalog).
type Known interface {
	Has(descriptor.Ref) bool
}

// References configures the reference check.
type References struct {
	Catalog  Known
	Severity descriptor.Severity // of each finding; warning when empty
}

// refCheck is a Checker's reference check: the catalog and the entities a
// run declares, by lower-cased reference.
type refCheck struct {
	References
	declared map[string]bool
}

// WithReferences returns a copy of c that also reports, in each file,
// references to entities that are neither in r.Catalog nor declared in the
// same file. Run widens "the same file" to every file of the run: it reads
// the files twice, first to collect what they declare.
func (c *Checker) WithReferences(r References) *Checker {
	if r.Severity == "" {
		r.Severity = descriptor.SeverityWarning
	}
	cc := *c
	cc.refs = &refCheck{References: r}
	return &cc
}

// WithDeclared returns a copy of c whose reference check also accepts
// references to refs: the other entities of the change, for a caller that
// checks the files of a change one at a time (Run does this itself). It
// returns c when c does not check references.
func (c *Checker) WithDeclared(refs []descriptor.Ref) *Checker {
	declared := make(map[string]bool, len(refs))
	for _, r := range refs {
		declared[r.String()] = true
	}
	return c.withDeclared(declared)
}

func (c *Checker) withDeclared(declared map[string]bool) *Checker {
	if c.refs == nil {
		return c
	}
	cc := *c
	rc := *c.refs
	rc.declared = declared
	cc.refs = &rc
	return &cc
}

// checkRefs adds the findings of the reference check to docs, which are
// the documents of one file.
func (rc *refCheck) checkRefs(docs []*descriptor.Document) {
	local := map[string]bool{}
	for _, d := range docs {
		if r, ok := declaredRef(d); ok {
			local[r] = true
		}
	}
	for _, d := range docs {
		for _, ref := range descriptor.References(d) {
			k := ref.Ref.String()
			if local[k] || rc.declared[k] || rc.Catalog.Has(ref.Ref) {
				continue
			}
			line, col := d.Root.Locate(ref.Path)
			d.Findings = append(d.Findings, descriptor.Finding{Severity: rc.Severity, Rule: RuleReference,
				Message: fmt.Sprintf("%s names %s, which is neither in the catalog nor in this change", ref.Path, k),
				Line:    line, Column: col, Path: ref.Path.String()})
		}
	}
}

// declaredRef is the lower-cased reference of the entity d declares.
func declaredRef(d *descriptor.Document) (string, bool) {
	if d.Root == nil || d.Kind() == "" || d.Name() == "" {
		return "", false
	}
	return descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()}.String(), true
}

// declaredRefs is the pre-pass of a run with the reference check: it reads
// every input once and collects the entities they declare. Standard input
// is read into memory, and the returned reader replays it for the check.
func (c *Checker) declaredRefs(ctx context.Context, args []string, m Matcher, stdin io.Reader, workers int) (map[string]bool, io.Reader, error) {
	var stdinData []byte
	for _, a := range args {
		if a == StdinPath && stdin != nil {
			data, err := io.ReadAll(io.LimitReader(stdin, c.maxBytes+1))
			if err != nil {
				return nil, nil, fmt.Errorf("read standard input: %w", err)
			}
			stdinData, stdin = data, bytes.NewReader(data)
			break
		}
	}
	declared := map[string]bool{}
	var mu sync.Mutex
	inputs := make(chan input, workers)
	go walk(ctx, args, m, inputs)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range inputs {
				refs := c.declaredIn(in, stdinData)
				mu.Lock()
				for _, r := range refs {
					declared[r] = true
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return declared, stdin, ctx.Err()
}

// declaredIn lists the entities one input declares; an input that cannot
// be read declares none (the check reports it).
func (c *Checker) declaredIn(in input, stdinData []byte) []string {
	if in.err != nil {
		return nil
	}
	var stdin io.Reader
	if stdinData != nil {
		stdin = bytes.NewReader(stdinData)
	}
	data, err := c.read(in.path, stdin)
	if err != nil || descriptor.IsSkeleton(data) {
		return nil
	}
	var out []string
	for _, d := range descriptor.Parse(data, c.maxBytes).Documents {
		if r, ok := declaredRef(d); ok {
			out = append(out, r)
		}
	}
	return out
}
