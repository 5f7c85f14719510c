package githubtest

import (
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// maxCommentChars is GitHub's limit on a comment's body.
const maxCommentChars = 65536

// IssueComment is a comment on an issue or pull request.
type IssueComment struct {
	ID          int64     `json:"id"`
	IssueNumber int       `json:"issue_number"`
	User        string    `json:"user"`
	Body        string    `json:"body"`
	CreatedAt   time.Time `json:"created_at"`
	Reactions   []string  `json:"reactions"` // contents, in the order given: "+1", "eyes", ...
}

// OpenIssue opens an issue and returns its number (issues and pull
// requests share numbers, as on GitHub). No webhook is sent: portico does
// not handle issues events.
func (s *Server) OpenIssue(owner, name, title, body string) (int, error) {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	r.nextNumber++
	is := &issue{
		id: s.st.newID(), number: r.nextNumber, title: title, body: body,
		user: s.st.account(DefaultSender, "User"), state: "open", created: now, updated: now,
	}
	r.issues[is.number] = is
	return is.number, nil
}

// Comment adds a comment by user to an issue or pull request and sends
// issue_comment.created.
func (s *Server) Comment(owner, name string, number int, user, body string) (IssueComment, error) {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return IssueComment{}, err
	}
	s.mu.Lock()
	is := r.issues[number]
	var cm *comment
	if is != nil {
		cm = s.addComment(r, is, s.st.account(user, "User"), body)
	}
	s.mu.Unlock()
	if cm == nil {
		return IssueComment{}, fmt.Errorf("comment: no issue %s/%s#%d", owner, name, number)
	}
	s.sendComment(r, is, cm)
	return cm.IssueComment, nil
}

// addComment records a comment; with Server.mu held.
func (s *Server) addComment(r *repo, is *issue, user *account, body string) *comment {
	cm := &comment{repo: r, user: user, IssueComment: IssueComment{
		ID: s.st.newID(), IssueNumber: is.number, User: user.login, Body: body, CreatedAt: time.Now(),
	}}
	s.st.comments[cm.ID] = cm
	is.updated = cm.CreatedAt
	return cm
}

func (s *Server) sendComment(r *repo, is *issue, cm *comment) {
	s.mu.Lock()
	payload := s.repoPayload(r, "created", cm.user)
	payload["issue"], payload["comment"] = s.issueJSON(r, is), s.commentJSON(cm)
	s.mu.Unlock()
	s.broadcast(r, "issue_comment", "created", payload)
}

// Comments returns the comments on an issue or pull request, oldest first.
func (s *Server) Comments(owner, name string, number int) []IssueComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []IssueComment
	for _, id := range sortedIDs(s.st.comments) {
		cm := s.st.comments[id]
		if lower(cm.repo.fullName()) == lower(owner+"/"+name) && cm.IssueNumber == number {
			c := cm.IssueComment
			for _, rc := range cm.reactions {
				c.Reactions = append(c.Reactions, rc.content)
			}
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) commentJSON(cm *comment) obj {
	r := cm.repo
	issueAPI := fmt.Sprintf("%s/repos/%s/issues/%d", s.base, r.fullName(), cm.IssueNumber)
	html := fmt.Sprintf("%s/%s/issues/%d#issuecomment-%d", s.base, r.fullName(), cm.IssueNumber, cm.ID)
	if is := r.issues[cm.IssueNumber]; is != nil && is.pull != nil {
		html = fmt.Sprintf("%s/%s/pull/%d#issuecomment-%d", s.base, r.fullName(), cm.IssueNumber, cm.ID)
	}
	api := fmt.Sprintf("%s/repos/%s/issues/comments/%d", s.base, r.fullName(), cm.ID)
	return obj{
		"id": cm.ID, "node_id": nodeID("IssueComment", cm.ID), "url": api, "html_url": html,
		"issue_url": issueAPI, "body": cm.Body, "user": s.userJSON(cm.user),
		"created_at": ts(cm.CreatedAt), "updated_at": ts(cm.CreatedAt),
		"author_association": association(r, cm.user), "performed_via_github_app": nil,
		"reactions": s.reactionRollup(cm, api+"/reactions"),
	}
}

func (s *Server) reactionRollup(cm *comment, url string) obj {
	o := obj{"url": url, "total_count": len(cm.reactions)}
	for _, k := range []string{"+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"} {
		o[k] = 0
	}
	for _, rc := range cm.reactions {
		o[rc.content] = o[rc.content].(int) + 1
	}
	return o
}

// issueAccess is the permission a request on an issue's comments needs:
// pull_requests for a pull request, issues otherwise. GitHub accepts
// either for pull requests; the fake asks for the one that always works.
func issueAccess(is *issue) string {
	if is != nil && is.pull != nil {
		return "pull_requests"
	}
	return "issues"
}

func (s *Server) createComment(c *call) {
	r := c.repo()
	if r == nil {
		return
	}
	var req struct {
		Body string `json:"body"`
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
	if utf8.RuneCountInString(req.Body) > maxCommentChars {
		c.validationFailed("IssueComment", "body", "custom", fmt.Sprintf("body is too long (maximum is %d characters)", maxCommentChars))
		return
	}
	s.mu.Lock()
	cm := s.addComment(r, is, c.cred.tok.inst.app.bot, req.Body)
	c.json(http.StatusCreated, s.commentJSON(cm))
	s.mu.Unlock()
	s.later(func() { s.sendComment(r, is, cm) })
}

func (s *Server) listComments(c *call) {
	r := c.repo()
	if r == nil {
		return
	}
	s.mu.Lock()
	is := r.issues[int(c.intParam("issue_number"))]
	s.mu.Unlock()
	if is == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.permitted(issueAccess(is), "read") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []any
	for _, id := range sortedIDs(s.st.comments) {
		if cm := s.st.comments[id]; cm.repo == r && cm.IssueNumber == is.number {
			list = append(list, s.commentJSON(cm))
		}
	}
	lo, hi := c.page(len(list))
	c.json(http.StatusOK, append([]any{}, list[lo:hi]...))
}

func (s *Server) createReaction(c *call) {
	r := c.repo()
	if r == nil {
		return
	}
	var req struct {
		Content string `json:"content"`
	}
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	cm := s.st.comments[c.intParam("comment_id")]
	var is *issue
	if cm != nil && cm.repo == r {
		is = r.issues[cm.IssueNumber]
	}
	s.mu.Unlock()
	if is == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.permitted(issueAccess(is), "write") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	bot := c.cred.tok.inst.app.bot
	for _, rc := range cm.reactions {
		if rc.user == bot && rc.content == req.Content {
			c.json(http.StatusOK, s.reactionJSON(rc))
			return
		}
	}
	rc := reaction{id: s.st.newID(), content: req.Content, user: bot, created: time.Now()}
	cm.reactions = append(cm.reactions, rc)
	c.json(http.StatusCreated, s.reactionJSON(rc))
}

func (s *Server) reactionJSON(rc reaction) obj {
	return obj{
		"id": rc.id, "node_id": nodeID("Reaction", rc.id), "user": s.userJSON(rc.user),
		"content": rc.content, "created_at": ts(rc.created),
	}
}
