package cli

import (
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	fdiff "github.com/go-git/go-git/v5/plumbing/format/diff"
	"github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/portico-dev/portico/app/templating/merge"
	"github.com/portico-dev/portico/app/templating/plan"
	"github.com/portico-dev/portico/app/tree"
)

// writeUpgradeDiff writes what the plan changes in the checkout as a
// unified diff in Git's format (git apply takes it): one patch per file
// written or deleted, against ours, the checkout's files as read.
func writeUpgradeDiff(w io.Writer, ours tree.Tree, p *plan.Plan) error {
	var patches []fdiff.FilePatch
	for _, name := range p.Files.Paths() {
		var from *diffFile
		if f, ok := ours[name]; ok {
			from = newDiffFile(name, f)
		}
		patches = append(patches, newFilePatch(from, newDiffFile(name, p.Files[name])))
	}
	for _, name := range p.Deleted {
		patches = append(patches, newFilePatch(newDiffFile(name, ours[name]), nil))
	}
	return fdiff.NewUnifiedEncoder(w, fdiff.DefaultContextLines).Encode(upgradePatch(patches))
}

type upgradePatch []fdiff.FilePatch

func (u upgradePatch) FilePatches() []fdiff.FilePatch { return u }
func (u upgradePatch) Message() string                { return "" }

type diffFile struct {
	path string
	file tree.File
	hash plumbing.Hash
}

func newDiffFile(name string, f tree.File) *diffFile {
	return &diffFile{path: name, file: f, hash: plumbing.ComputeHash(plumbing.BlobObject, f.Data)}
}

func (f *diffFile) Hash() plumbing.Hash { return f.hash }
func (f *diffFile) Path() string        { return f.path }
func (f *diffFile) Mode() filemode.FileMode {
	switch f.file.Mode {
	case tree.Executable:
		return filemode.Executable
	case tree.Symlink:
		return filemode.Symlink
	}
	return filemode.Regular
}

type filePatch struct {
	from, to *diffFile
	binary   bool
	chunks   []fdiff.Chunk
}

// newFilePatch diffs two versions of a file (nil for none) line by line;
// binary files are named, not shown.
func newFilePatch(from, to *diffFile) *filePatch {
	fp := &filePatch{from: from, to: to}
	var a, b []byte
	if from != nil {
		a = from.file.Data
	}
	if to != nil {
		b = to.file.Data
	}
	if merge.IsBinary(a) || merge.IsBinary(b) {
		fp.binary = true
		return fp
	}
	for _, d := range diff.Do(string(a), string(b)) {
		op := fdiff.Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = fdiff.Add
		case diffmatchpatch.DiffDelete:
			op = fdiff.Delete
		}
		fp.chunks = append(fp.chunks, chunk{content: d.Text, op: op})
	}
	return fp
}

func (p *filePatch) IsBinary() bool { return p.binary }
func (p *filePatch) Chunks() []fdiff.Chunk {
	return p.chunks
}

// Files returns nil interfaces, not typed nils, for a missing side: the
// encoder tells an added or deleted file by comparing with nil.
func (p *filePatch) Files() (from, to fdiff.File) {
	if p.from != nil {
		from = p.from
	}
	if p.to != nil {
		to = p.to
	}
	return from, to
}

type chunk struct {
	content string
	op      fdiff.Operation
}

func (c chunk) Content() string       { return c.content }
func (c chunk) Type() fdiff.Operation { return c.op }
