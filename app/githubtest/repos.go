package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// CreateRepo creates an empty private repository (a bare Git repository
// under the data directory) whose default branch is defaultBranch
// ("main" when empty). Its owner becomes an organisation unless it is a
// known user.
func (s *Server) CreateRepo(owner, name, defaultBranch string) error {
	_, err := s.createRepo(owner, name, defaultBranch, nil)
	return err
}

// SetVisibility makes a repository public or private.
func (s *Server) SetVisibility(owner, name string, private bool) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r.private = private
	return nil
}

func (s *Server) createRepo(owner, name, defaultBranch string, parent *repo) (*repo, error) {
	if defaultBranch == "" {
		defaultBranch = "main"
	}
	if !validName(owner) || !validName(name) {
		return nil, fmt.Errorf("create repository: bad name %q/%q", owner, name)
	}
	s.mu.Lock()
	if s.st.repos[lower(owner+"/"+name)] != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("create repository: %s/%s exists", owner, name)
	}
	now := time.Now()
	r := &repo{
		id: s.st.newID(), owner: s.st.account(owner, "Organization"), name: name,
		defaultBranch: defaultBranch, private: true, parent: parent,
		dir:           filepath.Join(s.dir, "repos", owner, name+".git"),
		collaborators: map[string]string{}, issues: map[int]*issue{}, labels: map[string]*label{}, created: now, pushed: now,
	}
	s.st.repos[lower(r.fullName())] = r
	s.mu.Unlock()
	var err error
	if parent == nil {
		err = initBare(context.Background(), r.dir, defaultBranch)
	} else {
		_, err = git(context.Background(), s.dir, nil, "clone", "--bare", "--quiet", "--", parent.dir, r.dir)
	}
	if err != nil {
		s.mu.Lock()
		delete(s.st.repos, lower(r.fullName()))
		s.mu.Unlock()
		return nil, fmt.Errorf("create repository: %w", err)
	}
	return r, nil
}

// CreateFork forks owner/name into forkOwner/name with all its branches.
// Pull requests from the fork name their head "forkOwner:branch".
func (s *Server) CreateFork(owner, name, forkOwner string) error {
	parent, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	_, err = s.createRepo(forkOwner, name, parent.defaultBranch, parent)
	return err
}

// SetPermission gives a user a role on a repository: admin, maintain,
// write, triage or read ("" removes it).
func (s *Server) SetPermission(owner, name, user, role string) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.account(user, "User")
	if role == "" {
		delete(r.collaborators, lower(user))
	} else {
		r.collaborators[lower(user)] = role
	}
	return nil
}

// Commit commits files onto a branch of a repository with Git plumbing,
// as DefaultSender, and returns the new commit's SHA. A new branch starts
// from the default branch. Like any push, it sends the push webhook and
// pull_request.synchronize for open pull requests from that branch.
func (s *Server) Commit(owner, name, branch string, files Files, message string) (string, error) {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	author := s.st.account(DefaultSender, "User")
	s.mu.Unlock()
	ctx := context.Background()
	r.gitMu.Lock()
	before, after, err := commitFiles(ctx, r, branch, files, message, author, time.Now())
	r.gitMu.Unlock()
	if err != nil {
		return "", err
	}
	s.branchUpdated(ctx, r, branch, before, after, author)
	return after, nil
}

// lookupRepo finds a repository by owner and name.
func (s *Server) lookupRepo(owner, name string) (*repo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.repos[lower(owner+"/"+name)]
	if r == nil {
		return nil, fmt.Errorf("no repository %s/%s", owner, name)
	}
	return r, nil
}

func validName(n string) bool {
	return n != "" && n != "." && n != ".." && !strings.ContainsAny(n, "/\\ \x00") && !strings.HasSuffix(n, ".git") && !strings.HasPrefix(n, "-")
}

func (s *Server) getRepo(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("metadata", "read") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.repoJSON(r)
	o["permissions"] = obj{"admin": false, "maintain": false, "push": false, "triage": false, "pull": true}
	if r.parent != nil {
		o["parent"], o["source"] = s.repoJSON(r.parent), s.repoJSON(r.parent)
	}
	o["network_count"], o["subscribers_count"] = 0, 0
	c.json(http.StatusOK, o)
}

func (s *Server) getPermission(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("metadata", "read") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.accounts[lower(c.params["username"])]
	if u == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	role := r.collaborators[lower(u.login)]
	if u == r.owner {
		role = "admin"
	}
	if role == "" && !r.private {
		role = "read"
	}
	c.json(http.StatusOK, obj{"permission": legacyPermission(role), "role_name": roleName(role), "user": s.collaboratorJSON(u, role)})
}

// legacyPermission maps a role to the older permission field, which only
// knows admin, write, read and none.
func legacyPermission(role string) string {
	switch role {
	case "admin":
		return "admin"
	case "maintain", "write":
		return "write"
	case "triage", "read":
		return "read"
	}
	return "none"
}

func roleName(role string) string {
	if role == "" {
		return "none"
	}
	return role
}

func (s *Server) collaboratorJSON(u *account, role string) obj {
	o := s.userJSON(u)
	p := legacyPermission(role)
	o["permissions"] = obj{
		"admin": role == "admin", "maintain": role == "admin" || role == "maintain",
		"push": p == "admin" || p == "write", "triage": p != "none" && role != "read", "pull": p != "none",
	}
	o["role_name"] = roleName(role)
	return o
}

// refOrDefault resolves the ref query parameter, the default branch when
// absent; it answers 404 when there is no such commit.
func (c *call) refOrDefault(r *repo, ref string) string {
	if ref == "" {
		ref = r.defaultBranch
	}
	sha := resolve(c.r.Context(), r.dir, ref)
	if sha == "" {
		c.error(http.StatusNotFound, "No commit found for the ref "+ref)
	}
	return sha
}

// apiRepoURL is a repository's API URL plus a suffix.
func (s *Server) apiRepoURL(r *repo, suffix string) string {
	return s.base + "/repos/" + r.fullName() + suffix
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i := range parts {
		parts[i] = url.PathEscape(parts[i])
	}
	return strings.Join(parts, "/")
}
