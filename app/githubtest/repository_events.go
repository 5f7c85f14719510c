package githubtest

import (
	"fmt"
	"os"
	"path/filepath"
)

// RenameRepo renames owner/name to newName, as a repository's settings
// do, and sends repository.renamed. Its id, issues and Git history stay;
// its Git URL follows the name.
func (s *Server) RenameRepo(owner, name, newName string) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	if !validName(newName) {
		return fmt.Errorf("rename repository: bad name %q", newName)
	}
	r.gitMu.Lock()
	defer r.gitMu.Unlock()
	s.mu.Lock()
	if s.st.repos[lower(owner+"/"+newName)] != nil {
		s.mu.Unlock()
		return fmt.Errorf("rename repository: %s/%s exists", owner, newName)
	}
	dir := filepath.Join(s.dir, "repos", r.owner.login, newName+".git")
	if err := os.Rename(r.dir, dir); err != nil {
		s.mu.Unlock()
		return fmt.Errorf("rename repository: %w", err)
	}
	old := r.name
	delete(s.st.repos, lower(r.fullName()))
	r.name, r.dir = newName, dir
	s.st.repos[lower(r.fullName())] = r
	payload := s.repoPayload(r, "renamed", s.st.account(DefaultSender, "User"))
	payload["changes"] = obj{"repository": obj{"name": obj{"from": old}}}
	s.mu.Unlock()
	s.broadcast(r, "repository", "renamed", payload)
	return nil
}

// DeleteRepo deletes owner/name and sends repository.deleted to the
// installations that reached it.
func (s *Server) DeleteRepo(owner, name string) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	payload := s.repoPayload(r, "deleted", s.st.account(DefaultSender, "User"))
	targets := s.repoInstallations(r)
	s.mu.Unlock()
	r.gitMu.Lock()
	defer r.gitMu.Unlock()
	s.mu.Lock()
	delete(s.st.repos, lower(r.fullName()))
	s.mu.Unlock()
	if err := os.RemoveAll(r.dir); err != nil {
		return fmt.Errorf("delete repository: %w", err)
	}
	for _, i := range targets {
		s.deliver(i.app, i, r.id, "repository", "deleted", payload)
	}
	return nil
}
