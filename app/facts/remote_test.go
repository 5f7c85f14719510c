package facts

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// fakeRemote answers from fields; a non-nil error field fails that read.
type fakeRemote struct {
	fakeTrees
	branch                   string
	protected                bool
	languages                []string
	branchErr, protErr, lErr error
}

func (f *fakeRemote) DefaultBranch(context.Context) (string, error) { return f.branch, f.branchErr }
func (f *fakeRemote) Protected(_ context.Context, b string) (bool, error) {
	if b != f.branch {
		return false, errors.New("wrong branch " + b)
	}
	return f.protected, f.protErr
}
func (f *fakeRemote) Languages(context.Context) ([]string, error) { return f.languages, f.lErr }

func TestFromRemote(t *testing.T) {
	t.Parallel()
	trees := map[string][]TreeEntry{"c1": {{"README.md", "blob", "b"}}}
	down := errors.New("502")
	cases := []struct {
		name    string
		remote  *fakeRemote
		unknown []Fact
	}{
		{"all read", &fakeRemote{fakeTrees: fakeTrees{trees: trees}, branch: "main", protected: true, languages: []string{"Go"}}, nil},
		{"tree gone", &fakeRemote{fakeTrees: fakeTrees{}, branch: "main"}, []Fact{Files}},
		{"repository down", &fakeRemote{fakeTrees: fakeTrees{trees: trees}, branchErr: down}, []Fact{DefaultBranch, Protected}},
		{"protection down", &fakeRemote{fakeTrees: fakeTrees{trees: trees}, branch: "main", protErr: down, lErr: down}, []Fact{Protected, Languages}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, err := FromRemote(context.Background(), c.remote, "acme/web", "c1")
			if !slices.Equal(r.Unknown, c.unknown) || (err != nil) != (len(c.unknown) > 0) {
				t.Errorf("unknown %v, err %v; want unknown %v", r.Unknown, err, c.unknown)
			}
			if r.Known(Files) && !slices.Equal(r.Files, []string{"README.md"}) {
				t.Errorf("files %q", r.Files)
			}
			if r.Name != "acme/web" || r.Commit != "c1" {
				t.Errorf("name %q commit %q", r.Name, r.Commit)
			}
		})
	}
}

// A repository GitHub lists whole costs one tree request.
func TestFromRemoteOneTreeRequest(t *testing.T) {
	t.Parallel()
	ok := &fakeRemote{fakeTrees: fakeTrees{trees: map[string][]TreeEntry{"c1": {{"README.md", "blob", "b"}}}},
		branch: "main", protected: true, languages: []string{"Go"}}
	r, _ := FromRemote(context.Background(), ok, "acme/web", "c1")
	if r.DefaultBranch != "main" || !r.Protected || !slices.Equal(r.Languages, []string{"Go"}) || len(ok.requests) != 1 {
		t.Errorf("facts %+v after %d tree requests, want one", r, len(ok.requests))
	}
}
