package githubtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// ProtectBranch marks a branch of owner/name protected, or not, as
// GET /repos/{owner}/{repo}/branches/{branch} reports it. A branch is
// unprotected until marked.
func (s *Server) ProtectBranch(owner, name, branch string, protected bool) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.protected == nil {
		r.protected = map[string]bool{}
	}
	r.protected[branch] = protected
	return nil
}

// SetLanguages sets what GET /repos/{owner}/{repo}/languages answers:
// bytes of code per language. A repository has none until set.
func (s *Server) SetLanguages(owner, name string, bytes map[string]int) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r.languages = maps.Clone(bytes)
	return nil
}

func (s *Server) getBranch(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") {
		return
	}
	branch := c.params["branch"]
	sha := resolve(c.r.Context(), r.dir, "refs/heads/"+branch)
	if sha == "" {
		c.error(http.StatusNotFound, "Branch not found")
		return
	}
	m, err := readCommit(c.r.Context(), r.dir, sha)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	api := s.apiRepoURL(r, "/branches/"+branch)
	protected := r.protected[branch]
	c.json(http.StatusOK, obj{
		"name": branch, "commit": s.commitJSON(r, m), "protected": protected,
		"protection":     obj{"enabled": protected, "required_status_checks": obj{"enforcement_level": "off", "contexts": []string{}, "checks": []any{}}},
		"protection_url": api + "/protection",
		"_links":         obj{"self": api, "html": fmt.Sprintf("%s/%s/tree/%s", s.base, r.fullName(), branch)},
	})
}

func (s *Server) listLanguages(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("metadata", "read") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := obj{}
	for _, l := range slices.Sorted(maps.Keys(r.languages)) {
		out[l] = r.languages[l]
	}
	c.json(http.StatusOK, out)
}
