package validate

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/report"
)

// RulePolicyError marks a document whose policy evaluation failed.
const RulePolicyError = "policy/error"

// Policy is the organisation policy layer as a check sees it.
type Policy interface {
	Eval(ctx context.Context, d *descriptor.Document) ([]descriptor.Finding, error)
}

// Checker checks the content of one descriptor file at a time. It is safe
// for concurrent use.
type Checker struct {
	policy   Policy
	maxBytes int64
	refs     *refCheck // nil: references are not checked
	tree     Tree      // nil: placeholders are not resolved
	// locations scopes Location targets; nil: they are not checked
	locations Locations
	// skeletons renders templates to check their skeletons (Run's);
	// nil: skeleton files are skipped
	skeletons *skeletons
}

// NewChecker returns a Checker that applies Backstage's rules and then
// policy, unless policy is nil. maxBytes <= 0 means
// descriptor.DefaultMaxBytes.
func NewChecker(policy Policy, maxBytes int64) *Checker {
	if maxBytes <= 0 {
		maxBytes = descriptor.DefaultMaxBytes
	}
	return &Checker{policy: policy, maxBytes: maxBytes}
}

// MaxBytes is the largest file the checker accepts.
func (c *Checker) MaxBytes() int64 { return c.maxBytes }

// Check parses and validates data, read from the file shown as path,
// after resolving its placeholders when c has a Tree.
func (c *Checker) Check(ctx context.Context, path string, data []byte) *report.File {
	parsed := descriptor.Parse(data, c.maxBytes)
	if c.tree != nil && mayHavePlaceholders(data) {
		c.resolveAll(ctx, path, parsed.Documents)
	}
	return c.finish(ctx, path, parsed)
}

// CheckIn is Check for a file at path in a repository whose files
// placeholders read. It fails only when files fails otherwise than for
// a problem of the descriptor (an API down: retry).
func (c *Checker) CheckIn(ctx context.Context, path string, data []byte, files descriptor.Files) (*report.File, error) {
	parsed := descriptor.Parse(data, c.maxBytes)
	if mayHavePlaceholders(data) {
		for _, d := range parsed.Documents {
			if err := descriptor.Resolve(ctx, d, path, files); err != nil {
				return nil, err
			}
		}
	}
	return c.finish(ctx, path, parsed), nil
}

// finish validates the documents of a parsed file and renders the result.
func (c *Checker) finish(ctx context.Context, path string, parsed descriptor.File) *report.File {
	out := &report.File{Path: path, Documents: make([]report.Document, 0, len(parsed.Documents)+1)}
	if len(parsed.Findings) > 0 {
		out.Documents = append(out.Documents, fileDocument(parsed.Findings))
	}
	for _, d := range parsed.Documents {
		if d.Root != nil {
			descriptor.Validate(d)
			c.applyPolicy(ctx, d)
		}
	}
	c.checkLocations(path, parsed.Documents)
	if c.refs != nil {
		c.refs.checkRefs(parsed.Documents)
	}
	for _, d := range parsed.Documents {
		out.Documents = append(out.Documents, toReport(d))
	}
	return out
}

func (c *Checker) applyPolicy(ctx context.Context, d *descriptor.Document) {
	if c.policy == nil {
		return
	}
	fs, err := c.policy.Eval(ctx, d)
	if err != nil {
		fs = append(fs, descriptor.Finding{Severity: descriptor.SeverityError, Rule: RulePolicyError,
			Message: fmt.Sprintf("policy evaluation failed: %v", err), Line: d.Line, Column: 1})
	}
	d.Findings = append(d.Findings, fs...)
}

// fileDocument holds findings that belong to no document.
func fileDocument(fs []descriptor.Finding) report.Document {
	return report.Document{Index: 0, Line: 1, Valid: false, Findings: fs}
}

func toReport(d *descriptor.Document) report.Document {
	slices.SortStableFunc(d.Findings, func(a, b descriptor.Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	fs := d.Findings
	if fs == nil {
		fs = []descriptor.Finding{}
	}
	ns := ""
	if d.Root != nil {
		ns = d.Namespace()
	}
	return report.Document{Index: d.Index, Line: d.Line, Kind: d.Kind(), Namespace: ns, Name: d.Name(),
		Valid: d.Valid(), Findings: fs}
}
