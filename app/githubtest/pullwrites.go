package githubtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Pull requests and labels written through the REST API, by an App: open,
// edit, close or reopen a pull request, list them, label them.

// labelColor is the color GitHub gives a label it creates because an
// issue was labelled with a name the repository did not have.
const labelColor = "ededed"

func (s *Server) createPull(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("pull_requests", "write") {
		return
	}
	var req struct {
		Title string `json:"title"`
		Head  string `json:"head"`
		Base  string `json:"base"`
		Body  string `json:"body"`
		Draft bool   `json:"draft"`
	}
	if !c.decode(&req) {
		return
	}
	if req.Title == "" || req.Head == "" || req.Base == "" {
		c.validationFailed("PullRequest", "title", "missing_field", "")
		return
	}
	is, msg := s.openPullFromAPI(c.r.Context(), r, req.Head, req.Base, req.Title, pullOptions{
		body: req.Body, draft: req.Draft, author: c.cred.tok.inst.app.bot.login,
	})
	if msg != "" {
		c.validationFailed("PullRequest", "head", "custom", msg)
		return
	}
	s.answerPull(c, r, is, http.StatusCreated)
	s.later(func() { s.sendPull(context.Background(), r, is.number, "opened", nil, is.user) })
}

// openPullFromAPI opens a pull request as POST .../pulls does; msg is
// GitHub's refusal.
func (s *Server) openPullFromAPI(ctx context.Context, r *repo, head, base, title string, o pullOptions) (*issue, string) {
	// A head of the base repository's owner is that repository's branch.
	if owner, branch, ok := strings.Cut(head, ":"); ok && strings.EqualFold(owner, r.owner.login) {
		head = branch
	}
	headRepo, headRef, err := s.headRepo(r, head)
	if err != nil {
		return nil, "head: " + err.Error()
	}
	p := &pull{headRepo: headRepo, headRef: headRef, baseRef: base, draft: o.draft}
	p.headSHA = resolve(ctx, headRepo.dir, "refs/heads/"+headRef)
	p.baseSHA = resolve(ctx, r.dir, "refs/heads/"+base)
	switch {
	case p.headSHA == "" || p.baseSHA == "":
		return nil, "head and base must be existing branches"
	case headRepo == r && (p.headSHA == p.baseSHA || isAncestor(ctx, r.dir, p.headSHA, p.baseSHA)):
		return nil, fmt.Sprintf("No commits between %s and %s", base, headRef)
	}
	is, err := s.addPull(r, p, title, o)
	if err != nil {
		return nil, fmt.Sprintf("A pull request already exists for %s:%s.", headRepo.owner.login, headRef)
	}
	if err := s.syncPullRef(ctx, r, is); err != nil {
		return nil, err.Error()
	}
	return is, ""
}

func (s *Server) answerPull(c *call, r *repo, is *issue, status int) {
	s.mu.Lock()
	p := *is.pull
	s.mu.Unlock()
	st := s.pullStats(c.r.Context(), r, p)
	s.mu.Lock()
	defer s.mu.Unlock()
	c.json(status, s.pullJSON(r, is, st))
}

// pullEdit is the body of PATCH .../pulls/{pull_number}. GitHub's REST
// API cannot change a draft: that takes GraphQL.
type pullEdit struct {
	Title *string `json:"title"`
	Body  *string `json:"body"`
	State *string `json:"state"`
	Base  *string `json:"base"`
}

func (s *Server) updatePull(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("pull_requests", "write") {
		return
	}
	var req pullEdit
	if !c.decode(&req) {
		return
	}
	is, _, ok := c.pullByNumber(r)
	if !ok {
		return
	}
	if req.Base != nil {
		c.validationFailed("PullRequest", "base", "custom", "the fake GitHub does not change a pull request's base")
		return
	}
	s.mu.Lock()
	changes, action := s.editPull(is, req)
	bot := c.cred.tok.inst.app.bot
	s.mu.Unlock()
	s.answerPull(c, r, is, http.StatusOK)
	if len(changes) > 0 {
		s.later(func() { s.sendPull(context.Background(), r, is.number, "edited", obj{"changes": changes}, bot) })
	}
	if action != "" {
		s.later(func() { s.sendPull(context.Background(), r, is.number, action, nil, bot) })
	}
}

// editPull applies an edit and returns the changes, as the edited
// webhook reports them, and the state action (closed, reopened) if any;
// with Server.mu held.
func (s *Server) editPull(is *issue, req pullEdit) (obj, string) {
	changes := obj{}
	if req.Title != nil && *req.Title != is.title {
		changes["title"] = obj{"from": is.title}
		is.title = *req.Title
	}
	if req.Body != nil && *req.Body != is.body {
		changes["body"] = obj{"from": is.body}
		is.body = *req.Body
	}
	action := ""
	if req.State != nil {
		switch {
		case *req.State == "closed" && is.state == "open":
			action = "closed"
		case *req.State == "open" && is.state == "closed" && !is.pull.merged:
			action = "reopened"
		}
	}
	if action != "" {
		s.applyPullAction(is, action)
	} else if len(changes) > 0 {
		is.updated = time.Now()
	}
	return changes, action
}

// listPulls lists pull requests, filtered by state (open by default),
// head ("owner:branch") and base, newest first by default, as GitHub does.
func (s *Server) listPulls(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("pull_requests", "read") {
		return
	}
	state := c.query("state")
	if state == "" {
		state = "open"
	}
	var list []*issue
	for _, is := range s.pullsByNumber(r) {
		if (state == "all" || is.state == state) && s.pullMatches(r, is, c.query("head"), c.query("base")) {
			list = append(list, is)
		}
	}
	sortPulls(list, c.query("sort"), c.query("direction"))
	lo, hi := c.page(len(list))
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, is := range list[lo:hi] {
		out = append(out, s.pullSimpleJSON(r, r.issues[is.number]))
	}
	c.json(http.StatusOK, out)
}

// pullMatches applies the head and base filters; a head without an owner
// matches nothing, as on GitHub, which wants "user:ref-name".
func (s *Server) pullMatches(r *repo, is *issue, head, base string) bool {
	p := is.pull
	if base != "" && p.baseRef != base {
		return false
	}
	if head == "" {
		return true
	}
	owner, branch, ok := strings.Cut(head, ":")
	if !ok {
		return false
	}
	return strings.EqualFold(owner, p.headRepo.owner.login) && branch == p.headRef
}

func sortPulls(list []*issue, by, direction string) {
	key := func(is *issue) time.Time { return is.created }
	if by == "updated" {
		key = func(is *issue) time.Time { return is.updated }
	}
	desc := direction == "desc" || (direction == "" && (by == "" || by == "created"))
	sort.SliceStable(list, func(i, j int) bool {
		a, b := key(list[i]), key(list[j])
		if a.Equal(b) {
			a, b = time.Unix(int64(list[i].number), 0), time.Unix(int64(list[j].number), 0)
		}
		if desc {
			return a.After(b)
		}
		return a.Before(b)
	})
}

// addLabels adds labels to an issue or pull request, creating the ones
// the repository lacks, and answers all of the issue's labels.
func (s *Server) addLabels(c *call) {
	r := c.repo()
	if r == nil {
		return
	}
	var req struct {
		Labels []json.RawMessage `json:"labels"`
	}
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	is := r.issues[int(c.intParam("issue_number"))]
	s.mu.Unlock()
	if is == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.permitted(issueAccess(is), "write") {
		return
	}
	names, ok := labelNames(req.Labels)
	if !ok {
		c.validationFailed("Label", "name", "invalid", "")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range names {
		s.labelIssue(r, is, name)
	}
	c.json(http.StatusOK, s.labelsJSON(r, is))
}

// labelNames reads labels given as names or as {"name": ...}.
func labelNames(raw []json.RawMessage) ([]string, bool) {
	var names []string
	for _, m := range raw {
		var name string
		if json.Unmarshal(m, &name) != nil {
			var o struct {
				Name string `json:"name"`
			}
			if json.Unmarshal(m, &o) != nil {
				return nil, false
			}
			name = o.Name
		}
		if strings.TrimSpace(name) == "" {
			return nil, false
		}
		names = append(names, name)
	}
	return names, true
}

// labelIssue puts a label on an issue once; with Server.mu held.
func (s *Server) labelIssue(r *repo, is *issue, name string) {
	l := r.labels[lower(name)]
	if l == nil {
		l = &label{id: s.st.newID(), name: name, color: labelColor}
		r.labels[lower(name)] = l
	}
	for _, have := range is.labels {
		if have == l {
			return
		}
	}
	is.labels = append(is.labels, l)
	is.updated = time.Now()
}

// labelsJSON are an issue's labels; with Server.mu held.
func (s *Server) labelsJSON(r *repo, is *issue) []any {
	out := []any{}
	for _, l := range is.labels {
		out = append(out, obj{
			"id": l.id, "node_id": nodeID("Label", l.id), "name": l.name, "color": l.color,
			"description": "", "default": false, "url": s.apiRepoURL(r, "/labels/"+escapePath(l.name)),
		})
	}
	return out
}

// Labels are the names of an issue's or pull request's labels.
func (s *Server) Labels(owner, name string, number int) []string {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	if is := r.issues[number]; is != nil {
		for _, l := range is.labels {
			out = append(out, l.name)
		}
	}
	return out
}
