package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/portico-dev/portico/app/descriptor"
)

// Record is what the loaded catalog knows of one recorded entity.
type Record struct {
	Ref        descriptor.Ref // as written in the file
	Path       string         // catalog path of its file
	SourceRepo string         // owner/name it was recorded from
	Relations  []Relation     // its relation references
}

// Relation is one relation reference of an entity: the field that holds
// it (such as "spec.dependsOn") and the entity it names.
type Relation struct {
	Field  string
	Target descriptor.Ref
}

// Catalog is the catalog at one commit of the central repository, held in
// memory for lookups and graph queries. It is read-only and safe for
// concurrent use.
type Catalog struct {
	Commit   string             // the commit it was read at, "" for an empty repository
	entities map[string]*Record // by lower-cased reference
	affects  map[string][]edge  // by lower-cased reference: who is affected when it changes
}

// Key is how the catalog names an entity: its reference lower-cased, as
// Backstage compares references.
func Key(r descriptor.Ref) string { return r.String() }

// Has reports whether the catalog holds the entity r.
func (c *Catalog) Has(r descriptor.Ref) bool {
	_, ok := c.entities[Key(r)]
	return ok
}

// Get returns the record of the entity r.
func (c *Catalog) Get(r descriptor.Ref) (*Record, bool) {
	e, ok := c.entities[Key(r)]
	return e, ok
}

// Len is the number of entities.
func (c *Catalog) Len() int { return len(c.entities) }

// Refs lists every entity, sorted by key.
func (c *Catalog) Refs() []descriptor.Ref {
	keys := make([]string, 0, len(c.entities))
	for k := range c.entities {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]descriptor.Ref, len(keys))
	for i, k := range keys {
		out[i] = c.entities[k].Ref
	}
	return out
}

// Load reads every entity file under catalog/ of the central bare
// repository at repoPath, at rev (any revision git understands; "" is the
// tip of Branch). An empty repository is an empty catalog. Files that do not
// parse as an entity are skipped: the Store never writes one.
func Load(ctx context.Context, repoPath, rev string) (*Catalog, error) {
	return NewLoader().Load(ctx, repoPath, rev)
}

// Loader loads catalogs again and again, as a server does for each pull
// request check: it keeps the entities of its last load by file and blob,
// and parses only the files that changed since. It is safe for concurrent
// use; loads run one at a time.
type Loader struct {
	mu   sync.Mutex
	last map[entityFile]*Record
}

// NewLoader returns a Loader with nothing kept yet.
func NewLoader() *Loader { return &Loader{last: map[entityFile]*Record{}} }

// Load is the package's Load, reusing what the last load parsed.
func (l *Loader) Load(ctx context.Context, repoPath, rev string) (*Catalog, error) {
	repo, err := git.PlainOpen(repoPath)
	if err != nil {
		return nil, fmt.Errorf("load catalog %s: %w", repoPath, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.load(ctx, repo, func() (*git.Repository, error) { return git.PlainOpen(repoPath) }, rev)
}

func (l *Loader) load(ctx context.Context, repo *git.Repository, open func() (*git.Repository, error), rev string) (*Catalog, error) {
	c := &Catalog{entities: map[string]*Record{}, affects: map[string][]edge{}}
	commit, err := resolve(repo, rev)
	if errors.Is(err, plumbing.ErrReferenceNotFound) && rev == "" {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	c.Commit = commit.Hash.String()
	files, err := entityFiles(commit)
	if err != nil {
		return nil, err
	}
	var todo []entityFile
	for _, f := range files {
		if _, ok := l.last[f]; !ok {
			todo = append(todo, f)
		}
	}
	recs, err := parseRecords(ctx, open, todo)
	if err != nil {
		return nil, err
	}
	kept := make(map[entityFile]*Record, len(files))
	for i, f := range todo {
		kept[f] = recs[i]
	}
	for _, f := range files {
		r, ok := kept[f]
		if !ok {
			r = l.last[f]
			kept[f] = r
		}
		if r != nil {
			c.entities[Key(r.Ref)] = r
		}
	}
	l.last = kept
	c.link()
	return c, nil
}

// resolve finds the commit rev names; "" is the tip of Branch.
func resolve(repo *git.Repository, rev string) (*object.Commit, error) {
	var h plumbing.Hash
	if rev == "" {
		ref, err := repo.Reference(Branch, true)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", Branch, err)
		}
		h = ref.Hash()
	} else {
		p, err := repo.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return nil, fmt.Errorf("resolve revision %q: %w", rev, err)
		}
		h = *p
	}
	c, err := repo.CommitObject(h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	return c, nil
}

type entityFile struct {
	path string
	hash plumbing.Hash
}

// entityFiles lists the .yaml blobs under catalog/ of a commit.
func entityFiles(c *object.Commit) ([]entityFile, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	sub, err := tree.Tree(Root)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s/ of %s: %w", Root, c.Hash, err)
	}
	var out []entityFile
	w := object.NewTreeWalker(sub, true, nil)
	defer w.Close()
	for {
		name, e, err := w.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("list %s/ of %s: %w", Root, c.Hash, err)
		}
		if e.Mode == filemode.Regular && strings.HasSuffix(name, ".yaml") {
			out = append(out, entityFile{path: Root + "/" + name, hash: e.Hash})
		}
	}
	return out, nil
}

// parseRecords reads and parses the files on all CPUs. go-git storage is
// not safe for concurrent use, so each worker opens the repository itself.
func parseRecords(ctx context.Context, open func() (*git.Repository, error), files []entityFile) ([]*Record, error) {
	recs := make([]*Record, len(files))
	idx := make(chan int, 256)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- parseSome(open, files, recs, idx)
		}()
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		idx <- i
	}
	close(idx)
	wg.Wait()
	close(errs)
	err := ctx.Err()
	for e := range errs {
		err = errors.Join(err, e)
	}
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	return recs, nil
}

// parseSome parses the files whose indexes arrive on idx, draining it
// even after a failure. A file larger than a descriptor may be (the
// repository may be on GitHub, where anyone with access can commit to it)
// is not read and holds no entity.
func parseSome(open func() (*git.Repository, error), files []entityFile, recs []*Record, idx <-chan int) error {
	repo, err := open()
	for i := range idx {
		if err != nil {
			continue
		}
		var data []byte
		if data, err = readBlobFrom(repo, files[i].hash); err == nil && data != nil {
			recs[i] = parseRecord(files[i].path, data)
		}
	}
	return err
}

func readBlobFrom(repo *git.Repository, h plumbing.Hash) ([]byte, error) {
	b, err := repo.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer r.Close()
	if b.Size > descriptor.DefaultMaxBytes {
		return nil, nil // not an entity portico wrote: someone's, left out
	}
	data := make([]byte, b.Size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return data, nil
}

// parseRecord reads one entity file, or returns nil when it holds no entity.
func parseRecord(path string, data []byte) *Record {
	f := descriptor.Parse(data, int64(len(data))+1)
	if len(f.Documents) == 0 || f.Documents[0].Root == nil {
		return nil
	}
	d := f.Documents[0]
	if d.Kind() == "" || d.Name() == "" {
		return nil
	}
	r := &Record{Ref: descriptor.Ref{Kind: d.Kind(), Namespace: d.Namespace(), Name: d.Name()}, Path: path}
	r.SourceRepo, _ = d.Root.Get("metadata").Get("annotations").Get(AnnotationSourceRepo).Text()
	for _, ref := range descriptor.References(d) {
		r.Relations = append(r.Relations, Relation{Field: ref.Field, Target: ref.Ref})
	}
	return r
}
