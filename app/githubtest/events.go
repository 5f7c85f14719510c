package githubtest

import (
	"context"
	"fmt"
	"time"
)

// maxPushCommits is how many commits a push payload lists.
const maxPushCommits = 20

// sender finds or creates a user who acts.
func (s *Server) sender(login string) *account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.account(login, "User")
}

// repoInstallations are the installations that reach a repository, one
// per App, with Server.mu held.
func (s *Server) repoInstallations(r *repo) []*installation {
	var out []*installation
	for _, id := range sortedIDs(s.st.installations) {
		i := s.st.installations[id]
		if i.account == r.owner && (i.all || i.repos[r.id]) {
			out = append(out, i)
		}
	}
	return out
}

// repoPayload starts a payload about a repository, with Server.mu held.
func (s *Server) repoPayload(r *repo, action string, sender *account) obj {
	p := obj{"repository": s.repoJSON(r), "sender": s.userJSON(sender)}
	if action != "" {
		p["action"] = action
	}
	if r.owner.kind == "Organization" {
		p["organization"] = s.orgJSON(r.owner)
	}
	return p
}

func (s *Server) orgJSON(a *account) obj {
	u := s.base + "/orgs/" + a.login
	return obj{
		"login": a.login, "id": a.id, "node_id": nodeID("Organization", a.id), "url": u,
		"repos_url": u + "/repos", "events_url": u + "/events", "hooks_url": u + "/hooks",
		"issues_url": u + "/issues", "members_url": u + "/members{/member}",
		"public_members_url": u + "/public_members{/member}",
		"avatar_url":         fmt.Sprintf("%s/avatars/u/%d?v=4", s.base, a.id), "description": nil,
	}
}

// broadcast delivers a repository event to every App installed on it.
func (s *Server) broadcast(r *repo, event, action string, payload obj) {
	s.mu.Lock()
	targets := s.repoInstallations(r)
	s.mu.Unlock()
	for _, i := range targets {
		s.deliver(i.app, i, r.id, event, action, payload)
	}
}

// appInstallation is the installation of an App that reaches a
// repository, or nil; with Server.mu held.
func (s *Server) appInstallation(a *app, r *repo) *installation {
	for _, i := range s.repoInstallations(r) {
		if i.app == a {
			return i
		}
	}
	return nil
}

func (s *Server) deliverPing(a *app) {
	s.mu.Lock()
	hook := obj{
		"type": "App", "id": a.hookID, "name": "web", "active": true, "events": appEvents(a),
		"config":     obj{"content_type": "json", "insecure_ssl": "0", "url": a.webhookURL},
		"updated_at": ts(a.created), "created_at": ts(a.created), "app_id": a.id,
		"deliveries_url": fmt.Sprintf("%s/app/hook/deliveries", s.base),
	}
	payload := obj{"zen": "Keep it logically awesome.", "hook_id": a.hookID, "hook": hook}
	s.mu.Unlock()
	s.deliver(a, nil, 0, "ping", "", payload)
}

func (s *Server) sendInstallation(i *installation, action string) {
	s.mu.Lock()
	payload := obj{
		"action": action, "installation": s.installationJSON(i), "requester": nil,
		"repositories": s.shortRepos(s.installationRepos(i)),
		"sender":       s.userJSON(s.st.account(DefaultSender, "User")),
	}
	s.mu.Unlock()
	s.deliver(i.app, i, 0, "installation", action, payload)
}

func (s *Server) sendInstallationRepos(i *installation, action string, repos []*repo) {
	s.mu.Lock()
	payload := obj{
		"action": action, "installation": s.installationJSON(i), "requester": nil,
		"repository_selection": selection(i),
		"repositories_added":   []any{}, "repositories_removed": []any{},
		"sender": s.userJSON(s.st.account(DefaultSender, "User")),
	}
	payload["repositories_"+action] = s.shortRepos(repos)
	s.mu.Unlock()
	s.deliver(i.app, i, 0, "installation_repositories", action, payload)
}

// shortRepos is the short form of repositories in installation events.
func (s *Server) shortRepos(repos []*repo) []any {
	out := []any{}
	for _, r := range repos {
		out = append(out, obj{"id": r.id, "node_id": nodeID("Repository", r.id), "name": r.name, "full_name": r.fullName(), "private": r.private})
	}
	return out
}

// sendPull sends a pull_request event; extra adds fields (before, after).
func (s *Server) sendPull(ctx context.Context, r *repo, number int, action string, extra obj, sender *account) {
	s.mu.Lock()
	is := r.issues[number]
	p := *is.pull
	s.mu.Unlock()
	st := s.pullStats(ctx, r, p)
	s.mu.Lock()
	payload := s.repoPayload(r, action, sender)
	payload["number"], payload["pull_request"] = number, s.pullJSON(r, is, st)
	for k, v := range extra {
		payload[k] = v
	}
	s.mu.Unlock()
	s.broadcast(r, "pull_request", action, payload)
}

// branchUpdated is what follows a branch moving, by Commit or git push:
// the push event, and synchronize for open pull requests from the branch.
func (s *Server) branchUpdated(ctx context.Context, r *repo, branch, before, after string, pusher *account) {
	s.mu.Lock()
	r.pushed = time.Now()
	s.mu.Unlock()
	s.sendPush(ctx, r, branch, before, after, pusher)
	if after == zeroSHA {
		return
	}
	for base, issues := range s.pullsOnBranch(ctx, r, branch, after) {
		for _, is := range issues {
			if err := s.syncPullRef(ctx, base, is); err != nil {
				s.log.Error("githubtest: pull request ref", "err", err)
			}
			s.sendPull(ctx, base, is.number, "synchronize", obj{"before": before, "after": after}, pusher)
		}
	}
}

func (s *Server) sendPush(ctx context.Context, r *repo, branch, before, after string, pusher *account) {
	commits := s.pushCommits(ctx, r, branch, before, after)
	var head any
	if len(commits) > 0 {
		head = commits[len(commits)-1]
	}
	created, deleted := before == zeroSHA, after == zeroSHA
	forced := !created && !deleted && !isAncestor(ctx, r.dir, before, after)
	s.mu.Lock()
	payload := s.repoPayload(r, "", pusher)
	repo := payload["repository"].(obj)
	repo["created_at"], repo["pushed_at"] = r.created.Unix(), r.pushed.Unix()
	repo["master_branch"], repo["stargazers"] = r.defaultBranch, 0
	if r.owner.kind == "Organization" {
		repo["organization"] = r.owner.login
	}
	fields := obj{
		"ref": "refs/heads/" + branch, "before": before, "after": after,
		"created": created, "deleted": deleted, "base_ref": nil,
		"forced":  forced,
		"compare": fmt.Sprintf("%s/%s/compare/%s...%s", s.base, r.fullName(), before[:12], after[:12]),
		"commits": commits, "head_commit": head,
		"pusher": obj{"name": pusher.login, "email": email(pusher)},
	}
	for k, v := range fields {
		payload[k] = v
	}
	s.mu.Unlock()
	s.broadcast(r, "push", "", payload)
}

// pushCommits describes the commits a push brought, oldest first.
func (s *Server) pushCommits(ctx context.Context, r *repo, branch, before, after string) []any {
	out := []any{}
	if after == zeroSHA {
		return out
	}
	var others []string
	if heads, err := branches(ctx, r.dir); err == nil {
		for name, sha := range heads {
			if name != branch {
				others = append(others, sha)
			}
		}
	}
	shas, err := commitsBetween(ctx, r.dir, before, after, others)
	if err != nil {
		return out
	}
	for _, sha := range shas[max(0, len(shas)-maxPushCommits):] {
		if c := s.pushCommit(ctx, r, sha); c != nil {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) pushCommit(ctx context.Context, r *repo, sha string) obj {
	m, err := readCommit(ctx, r.dir, sha)
	if err != nil {
		return nil
	}
	parent := ""
	if len(m.parents) > 0 {
		parent = m.parents[0]
	}
	changes, _ := diff(ctx, r.dir, parent, sha)
	files := map[string][]string{"added": {}, "removed": {}, "modified": {}}
	for _, ch := range changes {
		switch ch.status {
		case "renamed":
			files["removed"] = append(files["removed"], ch.previous)
			files["added"] = append(files["added"], ch.path)
		default:
			files[ch.status] = append(files[ch.status], ch.path)
		}
	}
	return obj{
		"id": sha, "tree_id": m.tree, "distinct": true, "message": m.message,
		"timestamp": m.committerDate.Format(time.RFC3339),
		"url":       fmt.Sprintf("%s/%s/commit/%s", s.base, r.fullName(), sha),
		"author":    gitUser(m.authorName, m.authorEmail), "committer": gitUser(m.committerName, m.committerEmail),
		"added": files["added"], "removed": files["removed"], "modified": files["modified"],
	}
}

func gitUser(name, email string) obj { return obj{"name": name, "email": email, "username": name} }
