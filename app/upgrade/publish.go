package upgrade

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/portico-dev/portico/app/tree"
)

// BranchPrefix is where upgrade branches live: portico/template/<name>.
const BranchPrefix = "portico/template/"

// Proposal is a planned upgrade of one repository from one template
// version to another.
type Proposal struct {
	Template      string    // the template's metadata.name
	From, To      string    // versions
	DefaultBranch string    // the branch the upgrade was planned on
	BaseSHA       string    // its tip then, the new commit's parent
	Files         tree.Tree // new and changed files
	Deleted       []string  // paths the upgrade deletes
	Title         string    // Title(...) unless the caller knows better
	Body          string    // Markdown, written by the caller
	Draft         bool      // open as a draft (conflicts remain)
	Labels        []string  // added when the pull request opens
}

// Title is the pull request's title for an upgrade.
func Title(template, from, to string) string {
	return fmt.Sprintf("Upgrade %s template from %s to %s", template, from, to)
}

// check refuses a proposal Publish cannot act on safely: the template
// name goes into a branch name and into markers.
func (p Proposal) check() error {
	switch {
	case p.Template == "" || strings.ContainsAny(p.Template, " \t\n~^:?*[\\") || strings.Contains(p.Template, "..") || strings.Contains(p.Template, "-->"):
		return fmt.Errorf("publish upgrade: template name %q cannot name a branch", p.Template)
	case p.To == "" || strings.ContainsAny(p.To, " \n") || strings.Contains(p.To, "-->"):
		return fmt.Errorf("publish upgrade: bad version %q", p.To)
	case p.BaseSHA == "" || p.DefaultBranch == "" || p.Title == "":
		return fmt.Errorf("publish upgrade %s: base commit, default branch and title are required", p.Template)
	}
	return nil
}

// Branch is the upgrade branch of a template.
func (p Proposal) Branch() string { return BranchPrefix + p.Template }

// Pull is a pull request from the upgrade branch.
type Pull struct {
	Number      int
	URL         string
	Title, Body string
	Open        bool
	HeadSHA     string
}

// Commit is a commit of the Git database.
type Commit struct {
	SHA, Tree, Message string
	Parents            []string
}

// NewPull is a pull request to open.
type NewPull struct {
	Head, Base, Title, Body string
	Draft                   bool
}

// GitHub is what Publish needs of one repository on GitHub.
type GitHub interface {
	// Pulls lists the pull requests from branch, open and closed, newest
	// first.
	Pulls(ctx context.Context, branch string) ([]Pull, error)
	// Branch returns the commit branch points at, "" when there is none.
	Branch(ctx context.Context, branch string) (string, error)
	// Commit reads a commit of the Git database.
	Commit(ctx context.Context, sha string) (Commit, error)
	// CreateTree writes files over baseTree and deletes paths from it.
	CreateTree(ctx context.Context, baseTree string, files tree.Tree, deleted []string) (string, error)
	// CreateCommit writes a commit of treeSHA with one parent.
	CreateCommit(ctx context.Context, message, treeSHA, parent string) (string, error)
	// CreateBranch creates a branch at sha.
	CreateBranch(ctx context.Context, branch, sha string) error
	// ForceBranch moves an existing branch to sha, fast-forward or not.
	ForceBranch(ctx context.Context, branch, sha string) error
	// OpenPull opens a pull request.
	OpenPull(ctx context.Context, p NewPull) (Pull, error)
	// EditPull sets a pull request's title and body.
	EditPull(ctx context.Context, number int, title, body string) error
	// AddLabels labels a pull request, creating missing labels.
	AddLabels(ctx context.Context, number int, labels []string) error
	// Comments returns the bodies of a pull request's comments.
	Comments(ctx context.Context, number int) ([]string, error)
	// Comment comments on a pull request.
	Comment(ctx context.Context, number int, body string) error
}

// Publish turns a proposal into the repository's one upgrade pull
// request, following the rules of the package comment.
func Publish(ctx context.Context, gh GitHub, p Proposal) (Outcome, error) {
	if err := p.check(); err != nil {
		return Outcome{}, err
	}
	branch := p.Branch()
	pulls, err := gh.Pulls(ctx, branch)
	if err != nil {
		return Outcome{}, fmt.Errorf("list upgrade pull requests: %w", err)
	}
	var open *Pull
	if len(pulls) > 0 {
		newest := pulls[0]
		if !newest.Open && markedVersion(newest.Body, p.Template) == p.To {
			return Outcome{Result: SkippedClosed, Number: newest.Number, URL: newest.URL}, nil
		}
		if newest.Open {
			open = &newest
		}
	}
	tip, err := gh.Branch(ctx, branch)
	if err != nil {
		return Outcome{}, fmt.Errorf("read upgrade branch: %w", err)
	}
	var head Commit
	if tip != "" {
		if head, err = gh.Commit(ctx, tip); err != nil {
			return Outcome{}, fmt.Errorf("read upgrade branch tip: %w", err)
		}
	}
	if open != nil && tip != "" && !isPortico(head, p.Template) {
		return holdBack(ctx, gh, *open, p)
	}
	wrote, err := writeCommit(ctx, gh, p, tip, head)
	if err != nil {
		return Outcome{}, err
	}
	if open == nil {
		return openPull(ctx, gh, p)
	}
	return updatePull(ctx, gh, *open, p, wrote)
}

// writeCommit puts the proposal's commit on the branch unless the branch
// holds it already; wrote says whether it did.
func writeCommit(ctx context.Context, gh GitHub, p Proposal, tip string, head Commit) (bool, error) {
	digest := p.digest()
	if tip != "" && isPortico(head, p.Template) && head.Parents[0] == p.BaseSHA && trailer(head.Message, trailerChange) == digest {
		return false, nil
	}
	base, err := gh.Commit(ctx, p.BaseSHA)
	if err != nil {
		return false, fmt.Errorf("read base commit: %w", err)
	}
	treeSHA, err := gh.CreateTree(ctx, base.Tree, p.Files, p.Deleted)
	if err != nil {
		return false, fmt.Errorf("create upgrade tree: %w", err)
	}
	sha, err := gh.CreateCommit(ctx, p.commitMessage(digest, treeSHA), treeSHA, p.BaseSHA)
	if err != nil {
		return false, fmt.Errorf("create upgrade commit: %w", err)
	}
	if tip == "" {
		err = gh.CreateBranch(ctx, p.Branch(), sha)
	} else {
		err = gh.ForceBranch(ctx, p.Branch(), sha)
	}
	if err != nil {
		return false, fmt.Errorf("move upgrade branch: %w", err)
	}
	return true, nil
}

func openPull(ctx context.Context, gh GitHub, p Proposal) (Outcome, error) {
	pr, err := gh.OpenPull(ctx, NewPull{Head: p.Branch(), Base: p.DefaultBranch, Title: p.Title, Body: p.markedBody(), Draft: p.Draft})
	if err != nil {
		return Outcome{}, fmt.Errorf("open upgrade pull request: %w", err)
	}
	if len(p.Labels) > 0 {
		if err := gh.AddLabels(ctx, pr.Number, p.Labels); err != nil {
			return Outcome{}, fmt.Errorf("label upgrade pull request: %w", err)
		}
	}
	return Outcome{Result: Created, Number: pr.Number, URL: pr.URL}, nil
}

func updatePull(ctx context.Context, gh GitHub, pr Pull, p Proposal, wrote bool) (Outcome, error) {
	out := Outcome{Result: Unchanged, Number: pr.Number, URL: pr.URL}
	if wrote {
		out.Result = Updated
	}
	if pr.Title == p.Title && pr.Body == p.markedBody() {
		return out, nil
	}
	if err := gh.EditPull(ctx, pr.Number, p.Title, p.markedBody()); err != nil {
		return Outcome{}, fmt.Errorf("update upgrade pull request: %w", err)
	}
	out.Result = Updated
	return out, nil
}

// holdBack comments once per version that a person's commits keep the
// upgrade off the branch.
func holdBack(ctx context.Context, gh GitHub, pr Pull, p Proposal) (Outcome, error) {
	out := Outcome{Result: SkippedHumanEdit, Number: pr.Number, URL: pr.URL}
	comments, err := gh.Comments(ctx, pr.Number)
	if err != nil {
		return Outcome{}, fmt.Errorf("read upgrade pull request comments: %w", err)
	}
	marker := heldMarker(p.Template, p.To)
	for _, c := range comments {
		if strings.Contains(c, marker) {
			return out, nil
		}
	}
	body := fmt.Sprintf("Someone has pushed to `%s`, so portico leaves this branch alone: "+
		"the upgrade of the %s template to %s is not applied here. "+
		"Merge or close this pull request to receive it.\n\n%s", p.Branch(), p.Template, p.To, marker)
	if err := gh.Comment(ctx, pr.Number, body); err != nil {
		return Outcome{}, fmt.Errorf("comment on upgrade pull request: %w", err)
	}
	return out, nil
}

const (
	trailerTemplate = "Portico-Template"
	trailerVersion  = "Portico-Version"
	trailerChange   = "Portico-Change"
	trailerTree     = "Portico-Tree"
)

func (p Proposal) commitMessage(digest, treeSHA string) string {
	return fmt.Sprintf("%s\n\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n", p.Title,
		trailerTemplate, p.Template, trailerVersion, p.To, trailerChange, digest, trailerTree, treeSHA)
}

// isPortico reports whether a commit is one portico wrote for template.
func isPortico(c Commit, template string) bool {
	return len(c.Parents) == 1 && c.Tree != "" && trailer(c.Message, trailerTree) == c.Tree &&
		trailer(c.Message, trailerTemplate) == template
}

// trailer reads a trailer of a commit message; "" when absent.
func trailer(message, key string) string {
	for _, line := range strings.Split(message, "\n") {
		if v, ok := strings.CutPrefix(line, key+": "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// digest identifies what the commit would hold: the base, every file
// with its mode, and the deletions.
func (p Proposal) digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "base %s\n", p.BaseSHA)
	for _, path := range p.Files.Paths() {
		f := p.Files[path]
		fmt.Fprintf(h, "file %q %s %d\n", path, f.Mode.GitMode(), len(f.Data))
		h.Write(f.Data)
	}
	deleted := append([]string(nil), p.Deleted...)
	sort.Strings(deleted)
	for _, path := range deleted {
		fmt.Fprintf(h, "delete %q\n", path)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// markedBody is the body with the hidden marker that records the
// template and version of the pull request.
func (p Proposal) markedBody() string {
	return strings.TrimRight(p.Body, "\n") + "\n\n" + bodyMarker(p.Template, p.To) + "\n"
}

func bodyMarker(template, version string) string {
	return fmt.Sprintf("<!-- portico:template-upgrade template=%s version=%s -->", template, version)
}

func heldMarker(template, version string) string {
	return fmt.Sprintf("<!-- portico:template-upgrade-held template=%s version=%s -->", template, version)
}

// markedVersion reads the version a pull request body's marker records
// for template; "" when there is none.
func markedVersion(body, template string) string {
	prefix := fmt.Sprintf("<!-- portico:template-upgrade template=%s version=", template)
	i := strings.LastIndex(body, prefix)
	if i < 0 {
		return ""
	}
	rest := body[i+len(prefix):]
	v, _, ok := strings.Cut(rest, " -->")
	if !ok {
		return ""
	}
	return v
}
