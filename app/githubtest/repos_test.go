package githubtest

import (
	"net/http"
	"testing"

	"github.com/google/go-github/v62/github"
)

func TestRepository(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	repo, _, err := f.client.Repositories.Get(ctx, "octo-org", "hello")
	must(t, err)
	if repo.GetFullName() != "octo-org/hello" || repo.GetDefaultBranch() != "main" || !repo.GetPrivate() {
		t.Errorf("repository = %s %s private=%v", repo.GetFullName(), repo.GetDefaultBranch(), repo.GetPrivate())
	}
	if repo.GetCloneURL() != f.srv.GitURL("octo-org", "hello") || repo.GetOwner().GetType() != "Organization" {
		t.Errorf("clone URL %s, owner type %s", repo.GetCloneURL(), repo.GetOwner().GetType())
	}
	list, _, err := f.client.Apps.ListRepos(ctx, nil)
	must(t, err)
	if list.GetTotalCount() != 1 || list.Repositories[0].GetID() != repo.GetID() {
		t.Errorf("installation repositories = %d", list.GetTotalCount())
	}
	_, _, err = f.client.Repositories.Get(ctx, "octo-org", "missing")
	if status(err) != http.StatusNotFound {
		t.Errorf("missing repository: %v", err)
	}
}

func TestContents(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	second, err := f.srv.Commit("octo-org", "hello", "main", Files{"README.md": Text("# hello, again\n"), "docs/a.md": nil}, "edit")
	must(t, err)
	file, dir, _, err := f.client.Repositories.GetContents(ctx, "octo-org", "hello", "README.md", nil)
	must(t, err)
	if got, _ := file.GetContent(); got != "# hello, again\n" || dir != nil || file.GetType() != "file" {
		t.Errorf("README.md at main = %q (dir %v)", got, dir)
	}
	file, _, _, err = f.client.Repositories.GetContents(ctx, "octo-org", "hello", "README.md", &github.RepositoryContentGetOptions{Ref: f.sha})
	must(t, err)
	if got, _ := file.GetContent(); got != "# hello\n" {
		t.Errorf("README.md at first commit = %q", got)
	}
	_, dir, _, err = f.client.Repositories.GetContents(ctx, "octo-org", "hello", "docs", &github.RepositoryContentGetOptions{Ref: f.sha})
	must(t, err)
	if len(dir) != 1 || dir[0].GetPath() != "docs/a.md" || dir[0].GetType() != "file" {
		t.Errorf("docs at first commit = %v", dir)
	}
	_, root, _, err := f.client.Repositories.GetContents(ctx, "octo-org", "hello", "", nil)
	must(t, err)
	if len(root) != 2 || root[0].GetName() != "README.md" || root[1].GetName() != "catalog-info.yaml" {
		t.Errorf("root listing = %v", root)
	}
	_, _, _, err = f.client.Repositories.GetContents(ctx, "octo-org", "hello", "docs/a.md", &github.RepositoryContentGetOptions{Ref: second})
	if status(err) != http.StatusNotFound {
		t.Errorf("deleted file: %v", err)
	}
	_, _, _, err = f.client.Repositories.GetContents(ctx, "octo-org", "hello", "README.md", &github.RepositoryContentGetOptions{Ref: "nope"})
	if status(err) != http.StatusNotFound {
		t.Errorf("unknown ref: %v", err)
	}
}

func TestTreesAndBlobs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	tree, _, err := f.client.Git.GetTree(ctx, "octo-org", "hello", "main", true)
	must(t, err)
	paths := map[string]string{}
	for _, e := range tree.Entries {
		paths[e.GetPath()] = e.GetType()
	}
	want := map[string]string{"README.md": "blob", "catalog-info.yaml": "blob", "docs": "tree", "docs/a.md": "blob"}
	for p, kind := range want {
		if paths[p] != kind {
			t.Errorf("tree entry %s = %q, want %q (tree %v)", p, paths[p], kind, paths)
		}
	}
	flat, _, err := f.client.Git.GetTree(ctx, "octo-org", "hello", f.sha, false)
	must(t, err)
	if len(flat.Entries) != 3 {
		t.Errorf("non-recursive tree has %d entries", len(flat.Entries))
	}
	for _, e := range tree.Entries {
		if e.GetPath() != "catalog-info.yaml" {
			continue
		}
		blob, _, err := f.client.Git.GetBlobRaw(ctx, "octo-org", "hello", e.GetSHA())
		must(t, err)
		if string(blob) == "" {
			t.Error("empty blob")
		}
		b, _, err := f.client.Git.GetBlob(ctx, "octo-org", "hello", e.GetSHA())
		must(t, err)
		if b.GetEncoding() != "base64" || b.GetSize() != len(blob) {
			t.Errorf("blob = %s %d", b.GetEncoding(), b.GetSize())
		}
	}
}

func TestCommitAndPermission(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	c, _, err := f.client.Repositories.GetCommit(ctx, "octo-org", "hello", "main", nil)
	must(t, err)
	if c.GetSHA() != f.sha || len(c.Files) != 3 || c.GetCommit().GetMessage() != "initial commit" || c.GetAuthor().GetLogin() != DefaultSender {
		t.Errorf("commit = %s, %d files, %q by %s", c.GetSHA(), len(c.Files), c.GetCommit().GetMessage(), c.GetAuthor().GetLogin())
	}
	must(t, f.srv.SetPermission("octo-org", "hello", "dev", "maintain"))
	f.srv.CreateUser("visitor")
	for user, want := range map[string]string{"dev": "write", "visitor": "none"} {
		p, _, err := f.client.Repositories.GetPermissionLevel(ctx, "octo-org", "hello", user)
		must(t, err)
		if p.GetPermission() != want {
			t.Errorf("permission of %s = %s, want %s", user, p.GetPermission(), want)
		}
	}
	p, _, err := f.client.Repositories.GetPermissionLevel(ctx, "octo-org", "hello", "dev")
	must(t, err)
	if p.GetUser().GetRoleName() != "maintain" {
		t.Errorf("role of dev = %s", p.GetUser().GetRoleName())
	}
	_, _, err = f.client.Repositories.GetPermissionLevel(ctx, "octo-org", "hello", "ghost")
	if status(err) != http.StatusNotFound {
		t.Errorf("unknown user: %v", err)
	}
}

// TestCommitOfEmptyRepository: GitHub answers 409 for a commit of a
// repository without commits, and 422 for a ref a repository lacks.
func TestCommitOfEmptyRepository(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	must(t, f.srv.CreateRepo("octo-org", "empty", "main"))
	_, _, err := f.client.Repositories.GetCommit(ctx, "octo-org", "empty", "main", nil)
	if status(err) != http.StatusConflict {
		t.Errorf("commit of an empty repository: %v, want 409", err)
	}
	_, _, err = f.client.Repositories.GetCommit(ctx, "octo-org", "hello", "nowhere", nil)
	if status(err) != http.StatusUnprocessableEntity {
		t.Errorf("commit of a missing branch: %v, want 422", err)
	}
}
