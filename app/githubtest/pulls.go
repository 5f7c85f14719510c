package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxPullFiles is how many files GitHub lists for a pull request.
const maxPullFiles = 3000

// PullRequest is a pull request as the fake holds it.
type PullRequest struct {
	Number  int    `json:"number"`
	ID      int64  `json:"id"`
	Owner   string `json:"owner"`
	Repo    string `json:"repo"`
	Head    string `json:"head"` // the head branch, "owner:branch" when it is in a fork
	Base    string `json:"base"`
	HeadSHA string `json:"head_sha"`
	BaseSHA string `json:"base_sha"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	Author  string `json:"author"`
	State   string `json:"state"` // open or closed
	Draft   bool   `json:"draft"`
}

// PullOption sets an optional field of a new pull request.
type PullOption func(*pullOptions)

type pullOptions struct {
	body, author string
	draft        bool
}

// WithBody sets a pull request's description.
func WithBody(body string) PullOption { return func(o *pullOptions) { o.body = body } }

// AsDraft opens a pull request as a draft.
func AsDraft() PullOption { return func(o *pullOptions) { o.draft = true } }

// OpenedBy sets who opens a pull request (default DefaultSender).
func OpenedBy(login string) PullOption { return func(o *pullOptions) { o.author = login } }

// OpenPullRequest opens a pull request from head ("branch", or
// "owner:branch" for a fork of the repository) into base and sends
// pull_request.opened.
func (s *Server) OpenPullRequest(owner, name, head, base, title string, opts ...PullOption) (PullRequest, error) {
	o := pullOptions{author: DefaultSender}
	for _, opt := range opts {
		opt(&o)
	}
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return PullRequest{}, err
	}
	ctx := context.Background()
	headRepo, headRef, err := s.headRepo(r, head)
	if err != nil {
		return PullRequest{}, err
	}
	p := &pull{headRepo: headRepo, headRef: headRef, baseRef: base, draft: o.draft}
	p.headSHA = resolve(ctx, headRepo.dir, "refs/heads/"+headRef)
	p.baseSHA = resolve(ctx, r.dir, "refs/heads/"+base)
	if p.headSHA == "" || p.baseSHA == "" || (headRepo == r && headRef == base) {
		return PullRequest{}, fmt.Errorf("open pull request: %s and %s must be two existing branches", head, base)
	}
	is, err := s.addPull(r, p, title, o)
	if err != nil {
		return PullRequest{}, err
	}
	if err := s.syncPullRef(ctx, r, is); err != nil {
		return PullRequest{}, err
	}
	s.sendPull(ctx, r, is.number, "opened", nil, is.user)
	return s.PullRequest(owner, name, is.number)
}

// headRepo resolves a head of the form "branch" or "owner:branch".
func (s *Server) headRepo(r *repo, head string) (*repo, string, error) {
	owner, ref, fork := strings.Cut(head, ":")
	if !fork {
		return r, head, nil
	}
	h, err := s.lookupRepo(owner, r.name)
	if err != nil {
		return nil, "", fmt.Errorf("open pull request: %w", err)
	}
	return h, ref, nil
}

func (s *Server) addPull(r *repo, p *pull, title string, o pullOptions) (*issue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, is := range r.issues {
		if q := is.pull; q != nil && is.state == "open" && q.headRepo == p.headRepo && q.headRef == p.headRef && q.baseRef == p.baseRef {
			return nil, fmt.Errorf("open pull request: a pull request already exists for %s", p.headRef)
		}
	}
	now := time.Now()
	p.id = s.st.newID()
	r.nextNumber++
	is := &issue{
		id: s.st.newID(), number: r.nextNumber, title: title, body: o.body,
		user: s.st.account(o.author, "User"), state: "open", created: now, updated: now, pull: p,
	}
	r.issues[is.number] = is
	return is, nil
}

// syncPullRef points refs/pull/<n>/head of the base repository at the
// head, fetching it from a fork, as GitHub does.
func (s *Server) syncPullRef(ctx context.Context, r *repo, is *issue) error {
	s.mu.Lock()
	p := *is.pull
	s.mu.Unlock()
	ref := fmt.Sprintf("refs/pull/%d/head", is.number)
	r.gitMu.Lock()
	defer r.gitMu.Unlock()
	var err error
	if p.headRepo == r {
		_, err = git(ctx, r.dir, nil, "update-ref", ref, p.headSHA)
	} else {
		_, err = git(ctx, r.dir, nil, "fetch", "--quiet", "--no-tags", "--", p.headRepo.dir, "+"+p.headSHA+":"+ref)
	}
	if err != nil {
		return fmt.Errorf("pull request ref: %w", err)
	}
	return nil
}

// PushToPullRequest commits files onto a pull request's head branch, which
// sends push and pull_request.synchronize; it returns the new head SHA.
func (s *Server) PushToPullRequest(owner, name string, number int, files Files, message string) (string, error) {
	pr, err := s.PullRequest(owner, name, number)
	if err != nil {
		return "", err
	}
	headOwner, branch, fork := strings.Cut(pr.Head, ":")
	if !fork {
		headOwner, branch = owner, pr.Head
	}
	return s.Commit(headOwner, name, branch, files, message)
}

// ClosePullRequest closes a pull request (without merging) and sends
// pull_request.closed.
func (s *Server) ClosePullRequest(owner, name string, number int) error {
	return s.setPullState(owner, name, number, "closed")
}

// ReopenPullRequest reopens a closed pull request and sends
// pull_request.reopened.
func (s *Server) ReopenPullRequest(owner, name string, number int) error {
	return s.setPullState(owner, name, number, "reopened")
}

// MarkReadyForReview turns a draft into a pull request ready for review
// and sends pull_request.ready_for_review.
func (s *Server) MarkReadyForReview(owner, name string, number int) error {
	return s.setPullState(owner, name, number, "ready_for_review")
}

func (s *Server) setPullState(owner, name string, number int, action string) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	is := r.issues[number]
	ok := is != nil && is.pull != nil
	if ok {
		ok = s.applyPullAction(is, action)
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("pull request %s/%s#%d: cannot be %s", owner, name, number, action)
	}
	s.sendPull(context.Background(), r, number, action, nil, s.sender(DefaultSender))
	return nil
}

func (s *Server) applyPullAction(is *issue, action string) bool {
	now := time.Now()
	switch {
	case action == "closed" && is.state == "open":
		is.state, is.closed = "closed", now
	case action == "reopened" && is.state == "closed":
		is.state, is.closed = "open", time.Time{}
	case action == "ready_for_review" && is.pull.draft && is.state == "open":
		is.pull.draft = false
	default:
		return false
	}
	is.updated = now
	return true
}

// PullRequest returns a pull request.
func (s *Server) PullRequest(owner, name string, number int) (PullRequest, error) {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return PullRequest{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	is := r.issues[number]
	if is == nil || is.pull == nil {
		return PullRequest{}, fmt.Errorf("no pull request %s/%s#%d", owner, name, number)
	}
	p := is.pull
	head := p.headRef
	if p.headRepo != r {
		head = p.headRepo.owner.login + ":" + p.headRef
	}
	return PullRequest{
		Number: is.number, ID: p.id, Owner: r.owner.login, Repo: r.name, Head: head, Base: p.baseRef,
		HeadSHA: p.headSHA, BaseSHA: p.baseSHA, Title: is.title, Body: is.body,
		Author: is.user.login, State: is.state, Draft: p.draft,
	}, nil
}

// pullsOnBranch moves the open pull requests whose head is a branch that
// moved to its new commit, and returns them by base repository.
func (s *Server) pullsOnBranch(ctx context.Context, headRepo *repo, branch, after string) map[*repo][]*issue {
	moved := map[*repo][]*issue{}
	s.mu.Lock()
	for _, r := range s.st.repos {
		for _, is := range r.issues {
			if p := is.pull; p != nil && is.state == "open" && p.headRepo == headRepo && p.headRef == branch && p.headSHA != after {
				moved[r] = append(moved[r], is)
			}
		}
	}
	s.mu.Unlock()
	for r, issues := range moved {
		for _, is := range issues {
			base := resolve(ctx, r.dir, "refs/heads/"+is.pull.baseRef)
			s.mu.Lock()
			is.pull.headSHA, is.updated = after, time.Now()
			if base != "" {
				is.pull.baseSHA = base
			}
			s.mu.Unlock()
		}
	}
	return moved
}

// pullStats are a pull request's counts that need Git to compute.
type pullStats struct {
	commits, additions, deletions, changed int
}

func (s *Server) pullStats(ctx context.Context, r *repo, p pull) pullStats {
	var st pullStats
	base := mergeBase(ctx, r.dir, p.baseSHA, p.headSHA)
	changes, err := diff(ctx, r.dir, base, p.headSHA)
	if err == nil {
		st.changed = len(changes)
		for _, ch := range changes {
			st.additions += ch.additions
			st.deletions += ch.deletions
		}
	}
	if out, err := git(ctx, r.dir, nil, "rev-list", "--count", p.headSHA, "^"+base, "--"); err == nil && base != "" {
		st.commits, _ = strconv.Atoi(strings.TrimSpace(string(out)))
	}
	return st
}

// pullByNumber finds a pull request of the request's repository and a
// copy of it to read without the lock; it answers 404 when there is none.
func (c *call) pullByNumber(r *repo) (*issue, pull, bool) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	is := r.issues[int(c.intParam("pull_number"))]
	if is == nil || is.pull == nil {
		c.error(http.StatusNotFound, "Not Found")
		return nil, pull{}, false
	}
	return is, *is.pull, true
}

func (s *Server) getPull(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("pull_requests", "read") {
		return
	}
	is, p, ok := c.pullByNumber(r)
	if !ok {
		return
	}
	st := s.pullStats(c.r.Context(), r, p)
	s.mu.Lock()
	defer s.mu.Unlock()
	c.json(http.StatusOK, s.pullJSON(r, is, st))
}

func (s *Server) listPullFiles(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("pull_requests", "read") {
		return
	}
	_, p, ok := c.pullByNumber(r)
	if !ok {
		return
	}
	ctx := c.r.Context()
	changes, err := diff(ctx, r.dir, mergeBase(ctx, r.dir, p.baseSHA, p.headSHA), p.headSHA)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	changes = changes[:min(len(changes), maxPullFiles)]
	lo, hi := c.page(len(changes))
	list := []any{}
	for _, ch := range changes[lo:hi] {
		list = append(list, s.diffEntryJSON(r, p.headSHA, ch))
	}
	c.json(http.StatusOK, list)
}

// listPullsForCommit lists the pull requests that hold a commit (or a
// branch's head), open and closed, by number: those among whose commits it
// is, reachable from the head and not from the base, pull requests from
// forks included (their heads are in the base repository, under
// refs/pull/N/head). For a commit already on the default branch GitHub
// lists the merged pull request that brought it; the fake merges none.
// GitHub asks for both contents and pull requests read.
func (s *Server) listPullsForCommit(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") || !c.permitted("pull_requests", "read") {
		return
	}
	ctx := c.r.Context()
	sha := resolve(ctx, r.dir, c.params["commit_sha"])
	switch {
	case sha == "" && isEmpty(ctx, r.dir):
		c.error(http.StatusConflict, "Git Repository is empty.")
		return
	case sha == "":
		c.error(http.StatusUnprocessableEntity, "No commit found for SHA: "+c.params["commit_sha"])
		return
	}
	var held []*issue
	if !isAncestor(ctx, r.dir, sha, "refs/heads/"+r.defaultBranch) {
		for _, is := range s.pullsByNumber(r) {
			if isAncestor(ctx, r.dir, sha, is.pull.headSHA) && !isAncestor(ctx, r.dir, sha, is.pull.baseSHA) {
				held = append(held, is)
			}
		}
	}
	lo, hi := c.page(len(held))
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, is := range held[lo:hi] {
		list = append(list, s.pullSimpleJSON(r, is))
	}
	c.json(http.StatusOK, list)
}

// pullsByNumber are copies of a repository's pull requests, to read
// without the lock, by number.
func (s *Server) pullsByNumber(r *repo) []*issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	numbers := make([]int, 0, len(r.issues))
	for n, is := range r.issues {
		if is.pull != nil {
			numbers = append(numbers, n)
		}
	}
	sort.Ints(numbers)
	out := make([]*issue, len(numbers))
	for i, n := range numbers {
		is, p := *r.issues[n], *r.issues[n].pull
		is.pull = &p
		out[i] = &is
	}
	return out
}

// fullPullOnly are the fields of the full pull request that lists leave
// out (pull-request-simple).
var fullPullOnly = []string{
	"merged", "mergeable", "rebaseable", "mergeable_state", "merged_by", "comments", "review_comments",
	"maintainer_can_modify", "commits", "additions", "deletions", "changed_files",
}

// pullSimpleJSON is a pull request as lists describe it; with Server.mu
// held.
func (s *Server) pullSimpleJSON(r *repo, is *issue) obj {
	o := s.pullJSON(r, is, pullStats{})
	for _, k := range fullPullOnly {
		delete(o, k)
	}
	return o
}

// pullJSON is a pull request as the pulls API and webhooks describe it.
func (s *Server) pullJSON(r *repo, is *issue, st pullStats) obj {
	p := is.pull
	api := fmt.Sprintf("%s/repos/%s/pulls/%d", s.base, r.fullName(), is.number)
	html := fmt.Sprintf("%s/%s/pull/%d", s.base, r.fullName(), is.number)
	issueAPI := fmt.Sprintf("%s/repos/%s/issues/%d", s.base, r.fullName(), is.number)
	return obj{
		"url": api, "id": p.id, "node_id": nodeID("PullRequest", p.id), "html_url": html,
		"diff_url": html + ".diff", "patch_url": html + ".patch", "issue_url": issueAPI,
		"commits_url": api + "/commits", "review_comments_url": api + "/comments",
		"review_comment_url": s.apiRepoURL(r, "/pulls/comments{/number}"), "comments_url": issueAPI + "/comments",
		"statuses_url": s.apiRepoURL(r, "/statuses/"+p.headSHA),
		"number":       is.number, "state": is.state, "locked": false, "title": is.title,
		"user": s.userJSON(is.user), "body": nilIfEmpty(is.body), "labels": s.labelsJSON(r, is),
		"created_at": ts(is.created), "updated_at": ts(is.updated), "closed_at": tsOrNil(is.closed),
		"merged_at": nil, "merge_commit_sha": nil, "assignee": nil, "assignees": []any{},
		"requested_reviewers": []any{}, "requested_teams": []any{}, "milestone": nil,
		"head": s.branchJSON(p.headRepo, p.headRef, p.headSHA), "base": s.branchJSON(r, p.baseRef, p.baseSHA),
		"_links": obj{
			"self": obj{"href": api}, "html": obj{"href": html}, "issue": obj{"href": issueAPI},
			"comments": obj{"href": issueAPI + "/comments"}, "review_comments": obj{"href": api + "/comments"},
			"review_comment": obj{"href": s.apiRepoURL(r, "/pulls/comments{/number}")},
			"commits":        obj{"href": api + "/commits"}, "statuses": obj{"href": s.apiRepoURL(r, "/statuses/"+p.headSHA)},
		},
		"author_association": association(r, is.user), "auto_merge": nil, "active_lock_reason": nil,
		"draft": p.draft, "merged": p.merged, "mergeable": nil, "rebaseable": nil,
		"mergeable_state": "unknown", "merged_by": nil, "comments": s.commentCount(r, is.number),
		"review_comments": 0, "maintainer_can_modify": false, "commits": st.commits,
		"additions": st.additions, "deletions": st.deletions, "changed_files": st.changed,
	}
}

func (s *Server) branchJSON(r *repo, ref, sha string) obj {
	return obj{
		"label": r.owner.login + ":" + ref, "ref": ref, "sha": sha,
		"user": s.userJSON(r.owner), "repo": s.repoJSON(r),
	}
}
