package descriptor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"
)

// RulePlaceholder marks a $text, $json or $yaml placeholder that cannot be
// resolved: its file is missing, outside the repository, too large or not
// what the placeholder parses.
const RulePlaceholder = rulePrefix + "placeholder"

// Caps on what the placeholders of one document may read: each read is a
// request to GitHub in the App, and the content ends up in memory.
const (
	// PlaceholderMaxBytes is the largest file a placeholder reads, the
	// most GitHub's contents API returns inline.
	PlaceholderMaxBytes = 1_000_000
	// maxPlaceholders is how many placeholders one document may resolve.
	maxPlaceholders = 64
	// placeholderBudget is how many bytes they may read together.
	placeholderBudget = 16 << 20
)

// Files reads the files of the repository a descriptor belongs to.
type Files interface {
	// ReadFile returns the content and the size of the file at name, a
	// clean slash-separated path from the repository's root. The content
	// may be cut short when the size is over max. A missing file is an
	// error that wraps fs.ErrNotExist, a path that leads outside the
	// repository or to something other than a file one that wraps
	// fs.ErrInvalid; other errors (a failing API) are returned by
	// Resolve.
	ReadFile(ctx context.Context, name string, max int64) ([]byte, int64, error)
}

// Resolve replaces the placeholders of d as Backstage's catalog does
// before it validates (PlaceholderProcessor in catalog-backend): a
// mapping whose only key is $text, $json or $yaml with a string value
// becomes the text of the file it names, or the value that file holds as
// JSON or YAML. file is the descriptor's own path from the repository's
// root; relative paths start from its directory, paths starting with "/"
// from the root. A URL is not fetched: the placeholder stays, and rules
// pass it whatever they expect there. Values read from files take the
// placeholder's position, so findings point into the descriptor.
// Problems of the descriptor become findings; an error is returned only
// when files fails otherwise (the App retries the check).
func Resolve(ctx context.Context, d *Document, file string, files Files) error {
	if d == nil || d.Root == nil {
		return nil
	}
	d.resolved = true
	r := &resolver{ctx: ctx, d: d, self: strings.TrimPrefix(path.Clean("/"+file), "/"), files: files}
	r.dir = path.Dir(r.self)
	root := r.value(d.Root)
	if root.Kind != Map {
		r.fail(d.Root, fmt.Sprintf("the placeholder that makes the whole entity gives %s, not an object", describe(root)))
		d.Root = nil
		return r.err
	}
	d.Root = root
	return r.err
}

// resolver walks one document as PlaceholderProcessor does.
type resolver struct {
	ctx       context.Context
	d         *Document
	self, dir string
	files     Files
	count     int
	bytes     int64
	err       error
}

// value returns v with its placeholders resolved. Like Backstage, it
// leaves alone, without looking inside, a mapping with a $ key that is
// not a placeholder it knows (a JSON Schema's $ref, several $ keys), and
// does not look inside values read from files.
func (r *resolver) value(v *Value) *Value {
	switch {
	case v.loaded || v.opaque:
		return v
	case v.Kind == List:
		for i, it := range v.Items {
			v.Items[i] = r.value(it)
		}
	case v.Kind == Map && !hasDollarKey(v):
		for i := range v.Fields {
			v.Fields[i].Value = r.value(v.Fields[i].Value)
		}
	case isPlaceholder(v):
		return r.resolve(v, v.Fields[0].Key[1:], v.Fields[0].Value.Str)
	}
	return v
}

func hasDollarKey(v *Value) bool {
	for _, f := range v.Fields {
		if strings.HasPrefix(f.Key, "$") {
			return true
		}
	}
	return false
}

// resolve reads what the placeholder v names. On failure it reports a
// finding and leaves v, marked opaque so that rules do not report it
// again.
func (r *resolver) resolve(v *Value, kind, target string) *Value {
	if isURL(target) {
		v.opaque = true // Backstage fetches it; portico does not
		return v
	}
	name, ok := r.path(target)
	if !ok {
		return r.failed(v, fmt.Sprintf("placeholder $%s names %q, which leads outside the repository", kind, target))
	}
	data, ok := r.read(v, kind, target, name)
	if !ok {
		return r.failed(v, "")
	}
	nv, msg := decodePlaceholder(kind, data)
	if msg != "" {
		return r.failed(v, fmt.Sprintf("placeholder $%s: %s (%s) %s", kind, target, name, msg))
	}
	settle(nv, v.Line, v.Column, map[*Value]bool{})
	return nv
}

// read returns the content of the file name, reporting why it cannot.
func (r *resolver) read(v *Value, kind, target, name string) ([]byte, bool) {
	r.count++
	if r.count > maxPlaceholders {
		r.fail(v, fmt.Sprintf("placeholder $%s: more than %d placeholders in one document; portico resolves at most that many", kind, maxPlaceholders))
		return nil, false
	}
	data, size, err := r.files.ReadFile(r.ctx, name, PlaceholderMaxBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.fail(v, fmt.Sprintf("placeholder $%s: %s does not exist (looked for %s in the repository)", kind, target, name))
	case errors.Is(err, fs.ErrInvalid), errors.Is(err, fs.ErrPermission):
		r.fail(v, fmt.Sprintf("placeholder $%s: cannot read %s: %v", kind, target, err))
	case err != nil:
		r.err = errors.Join(r.err, fmt.Errorf("resolve placeholder $%s %s: %w", kind, name, err))
	case size > PlaceholderMaxBytes || int64(len(data)) > PlaceholderMaxBytes:
		r.fail(v, fmt.Sprintf("placeholder $%s: %s is %d bytes, over the limit of %d bytes", kind, target, max(size, int64(len(data))), PlaceholderMaxBytes))
	case r.bytes+int64(len(data)) > placeholderBudget:
		r.fail(v, fmt.Sprintf("placeholder $%s: the placeholders of this document read more than %d bytes together", kind, placeholderBudget))
	default:
		r.bytes += int64(len(data))
		return data, true
	}
	return nil, false
}

// path turns a placeholder's target into a path from the repository's
// root, as Backstage resolves it against the descriptor's URL: relative
// to the descriptor's directory, or to the root when it starts with "/";
// "" is the descriptor itself, a query or fragment is not part of the
// path, and "\" is "/". It refuses a path that climbs out of the
// repository, which Backstage would read from the host's other
// repositories.
func (r *resolver) path(target string) (string, bool) {
	t := strings.ReplaceAll(target, `\`, "/")
	if i := strings.IndexAny(t, "?#"); i >= 0 {
		t = t[:i]
	}
	if u, err := url.PathUnescape(t); err == nil {
		t = u
	}
	if t == "" {
		return r.self, true
	}
	p := path.Join(r.dir, t)
	if strings.HasPrefix(t, "/") {
		p = path.Clean(t)
	}
	p = strings.TrimPrefix(p, "/")
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// fail reports a finding at the placeholder v; msg "" means already
// reported.
func (r *resolver) fail(v *Value, msg string) {
	if msg == "" {
		return
	}
	r.d.Findings = append(r.d.Findings, Finding{Severity: SeverityError, Rule: RulePlaceholder, Message: msg,
		Line: max(v.Line, 1), Column: max(v.Column, 1)})
}

func (r *resolver) failed(v *Value, msg string) *Value {
	r.fail(v, msg)
	v.opaque = true
	return v
}

// settle gives every node of a value read from a file the placeholder's
// position, and marks it as loaded. Shared subtrees (YAML aliases) are
// visited once.
func settle(v *Value, line, col int, seen map[*Value]bool) {
	if seen[v] {
		return
	}
	seen[v] = true
	v.Line, v.Column, v.loaded = line, col, true
	for i := range v.Fields {
		v.Fields[i].Line, v.Fields[i].Column = line, col
		settle(v.Fields[i].Value, line, col, seen)
	}
	for _, it := range v.Items {
		settle(it, line, col, seen)
	}
}
