package githubtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// The Git Data API: refs, trees and commits written straight into the
// repository's object database, so that a later tree read, git clone or
// pull request sees them as it sees a push.

// treeEntryRequest is one entry of POST .../git/trees. SHA stays raw to
// tell `"sha": null` (delete the path) from no sha at all.
type treeEntryRequest struct {
	Path    string          `json:"path"`
	Mode    string          `json:"mode"`
	Type    string          `json:"type"`
	SHA     json.RawMessage `json:"sha"`
	Content *string         `json:"content"`
}

func (e treeEntryRequest) deletes() bool { return string(e.SHA) == "null" && e.Content == nil }

func (e treeEntryRequest) sha() string {
	var s string
	if json.Unmarshal(e.SHA, &s) != nil {
		return ""
	}
	return s
}

func (s *Server) createTree(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "write") {
		return
	}
	var req struct {
		BaseTree *string            `json:"base_tree"`
		Tree     []treeEntryRequest `json:"tree"`
	}
	if !c.decode(&req) {
		return
	}
	ctx := c.r.Context()
	base := ""
	if req.BaseTree != nil {
		if objectType(ctx, r.dir, *req.BaseTree) != "tree" {
			c.error(http.StatusUnprocessableEntity, "base_tree is not a valid tree oid")
			return
		}
		base = *req.BaseTree
	}
	sha, msg := s.writeTree(ctx, r, base, req.Tree)
	if msg != "" {
		c.error(http.StatusUnprocessableEntity, msg)
		return
	}
	entries, err := lsTree(ctx, r.dir, sha, false)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	list := make([]any, 0, len(entries))
	for _, e := range entries {
		list = append(list, s.treeEntryJSON(r, e))
	}
	c.json(http.StatusCreated, obj{"sha": sha, "url": s.apiRepoURL(r, "/git/trees/"+sha), "tree": list, "truncated": false})
}

// writeTree builds a tree from base (or nothing) and the entries in a
// scratch index; msg is GitHub's refusal when the entries are wrong.
func (s *Server) writeTree(ctx context.Context, r *repo, base string, entries []treeEntryRequest) (sha, msg string) {
	index, err := os.CreateTemp("", "githubtest-index-")
	if err != nil {
		return "", "create tree: " + err.Error()
	}
	index.Close()
	os.Remove(index.Name()) // git wants to create the index itself
	defer os.Remove(index.Name())
	env := []string{"GIT_INDEX_FILE=" + index.Name()}
	if base == "" {
		base = emptyTree
	}
	if _, err := gitWithEnv(ctx, r.dir, env, nil, "read-tree", base); err != nil {
		return "", "GitRPC::BadObjectState"
	}
	info, msg := s.indexInfo(ctx, r, base, entries)
	if msg != "" {
		return "", msg
	}
	if _, err := gitWithEnv(ctx, r.dir, env, strings.NewReader(info), "update-index", "-z", "--index-info"); err != nil {
		return "", "GitRPC::BadObjectState"
	}
	out, err := gitWithEnv(ctx, r.dir, env, nil, "write-tree")
	if err != nil {
		return "", "GitRPC::BadObjectState"
	}
	return strings.TrimSpace(string(out)), ""
}

// indexInfo turns the entries into update-index --index-info lines,
// writing inline contents as blobs.
func (s *Server) indexInfo(ctx context.Context, r *repo, base string, entries []treeEntryRequest) (string, string) {
	var b strings.Builder
	for _, e := range entries {
		if err := checkPaths(Files{e.Path: nil}); err != nil {
			return "", "tree.path contains a malformed path component"
		}
		line, msg := s.indexLine(ctx, r, base, e)
		if msg != "" {
			return "", msg
		}
		b.WriteString(line)
	}
	return b.String(), ""
}

func (s *Server) indexLine(ctx context.Context, r *repo, base string, e treeEntryRequest) (string, string) {
	hasSHA := len(e.SHA) > 0 && !e.deletes()
	switch {
	case e.deletes():
		if entry, ok := lsPath(ctx, r.dir, base, e.Path); !ok || entry.kind == "tree" {
			return "", "GitRPC::BadObjectState"
		}
		return fmt.Sprintf("0 %s\t%s\x00", zeroSHA, e.Path), ""
	case hasSHA == (e.Content != nil):
		return "", "Must supply either tree.sha or tree.content. Request will be rejected if both are present."
	case e.Type != "blob" || !blobMode(e.Mode):
		return "", fmt.Sprintf("the fake GitHub writes blob entries only (mode %s, type %s)", e.Mode, e.Type)
	}
	sha := e.sha()
	if e.Content != nil {
		out, err := git(ctx, r.dir, strings.NewReader(*e.Content), "hash-object", "-w", "--stdin")
		if err != nil {
			return "", "GitRPC::BadObjectState"
		}
		sha = strings.TrimSpace(string(out))
	} else if objectType(ctx, r.dir, sha) != "blob" {
		return "", "GitRPC::BadObjectState"
	}
	return fmt.Sprintf("%s %s\t%s\x00", e.Mode, sha, e.Path), ""
}

func blobMode(m string) bool { return m == "100644" || m == "100755" || m == "120000" }

// commitRequest is the body of POST .../git/commits.
type commitRequest struct {
	Message   string        `json:"message"`
	Tree      string        `json:"tree"`
	Parents   []string      `json:"parents"`
	Author    *commitPerson `json:"author"`
	Committer *commitPerson `json:"committer"`
	Signature *string       `json:"signature"`
}

type commitPerson struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Date  string `json:"date"`
}

func (s *Server) createGitCommit(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "write") {
		return
	}
	var req commitRequest
	if !c.decode(&req) {
		return
	}
	ctx := c.r.Context()
	if objectType(ctx, r.dir, req.Tree) != "tree" {
		c.validationFailed("Commit", "tree", "invalid", "Tree SHA does not exist")
		return
	}
	args := []string{"commit-tree", req.Tree}
	for _, p := range req.Parents {
		if objectType(ctx, r.dir, p) != "commit" {
			c.validationFailed("Commit", "parents", "invalid", "Parent SHA does not exist or is not a commit object")
			return
		}
		args = append(args, "-p", p)
	}
	s.mu.Lock()
	bot := c.cred.tok.inst.app.bot
	s.mu.Unlock()
	env := commitEnv(req, bot, time.Now())
	out, err := gitWithEnv(ctx, r.dir, env, strings.NewReader(req.Message), args...)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	s.answerGitCommit(c, r, strings.TrimSpace(string(out)), http.StatusCreated)
}

// commitEnv names the author and committer: the token's bot by default,
// as GitHub does, the committer being the author unless given.
func commitEnv(req commitRequest, bot *account, now time.Time) []string {
	author := commitPerson{Name: bot.login, Email: email(bot), Date: now.UTC().Format(time.RFC3339)}
	if req.Author != nil {
		author = fillPerson(*req.Author, now)
	}
	committer := author
	if req.Committer != nil {
		committer = fillPerson(*req.Committer, now)
	}
	return []string{
		"GIT_AUTHOR_NAME=" + author.Name, "GIT_AUTHOR_EMAIL=" + author.Email, "GIT_AUTHOR_DATE=" + author.Date,
		"GIT_COMMITTER_NAME=" + committer.Name, "GIT_COMMITTER_EMAIL=" + committer.Email, "GIT_COMMITTER_DATE=" + committer.Date,
	}
}

func fillPerson(p commitPerson, now time.Time) commitPerson {
	if p.Date == "" {
		p.Date = now.UTC().Format(time.RFC3339)
	}
	return p
}

func (s *Server) getGitCommit(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") {
		return
	}
	sha := c.params["commit_sha"]
	if objectType(c.r.Context(), r.dir, sha) != "commit" {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	s.answerGitCommit(c, r, resolve(c.r.Context(), r.dir, sha), http.StatusOK)
}

func (s *Server) answerGitCommit(c *call, r *repo, sha string, status int) {
	m, err := readCommit(c.r.Context(), r.dir, sha)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	c.json(status, s.gitCommitJSON(r, m))
}

// gitCommitJSON is a commit as the Git Data API describes it. Commits
// written through the API by an App are signed by GitHub; the fake says
// so for commits whose committer is a bot it knows.
func (s *Server) gitCommitJSON(r *repo, m commitMeta) obj {
	api := s.apiRepoURL(r, "/git/commits/")
	html := s.base + "/" + r.fullName() + "/commit/"
	parents := []any{}
	for _, p := range m.parents {
		parents = append(parents, obj{"sha": p, "url": api + p, "html_url": html + p})
	}
	verification := obj{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil}
	if strings.HasSuffix(m.committerName, "[bot]") {
		verification = obj{"verified": true, "reason": "valid", "signature": nil, "payload": nil, "verified_at": ts(m.committerDate)}
	}
	return obj{
		"sha": m.sha, "node_id": commitNodeID(r, m.sha), "url": api + m.sha, "html_url": html + m.sha,
		"author":    obj{"name": m.authorName, "email": m.authorEmail, "date": ts(m.authorDate)},
		"committer": obj{"name": m.committerName, "email": m.committerEmail, "date": ts(m.committerDate)},
		"message":   m.message, "tree": obj{"sha": m.tree, "url": s.apiRepoURL(r, "/git/trees/"+m.tree)},
		"parents": parents, "verification": verification,
	}
}

// fullRef checks a ref name below refs/ as Git does; "" when it is not one.
func fullRef(ctx context.Context, dir, ref string) string {
	full := "refs/" + strings.TrimPrefix(ref, "refs/")
	if strings.Count(full, "/") < 2 {
		return ""
	}
	if _, err := git(ctx, dir, nil, "check-ref-format", full); err != nil {
		return ""
	}
	return full
}

// refTarget is the object a full ref points at; "" when there is none.
func refTarget(ctx context.Context, dir, full string) string {
	out, err := git(ctx, dir, nil, "for-each-ref", "--format=%(objectname)", "--end-of-options", full)
	if err != nil {
		return ""
	}
	for _, line := range strings.Fields(string(out)) {
		return line
	}
	return ""
}

func (s *Server) getRef(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") {
		return
	}
	ctx := c.r.Context()
	full := fullRef(ctx, r.dir, c.params["ref"])
	sha := ""
	if full != "" {
		sha = refTarget(ctx, r.dir, full)
	}
	if sha == "" {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, s.refJSON(ctx, r, full, sha))
}

func (s *Server) refJSON(ctx context.Context, r *repo, full, sha string) obj {
	kind := objectType(ctx, r.dir, sha)
	return obj{
		"ref": full, "node_id": nodeID("Ref", r.id) + sha[:7], "url": s.apiRepoURL(r, "/git/"+full),
		"object": obj{"type": kind, "sha": sha, "url": s.apiRepoURL(r, "/git/"+kind+"s/"+sha)},
	}
}

func (s *Server) createRef(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "write") {
		return
	}
	var req struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if !c.decode(&req) {
		return
	}
	ctx := c.r.Context()
	full := fullRef(ctx, r.dir, req.Ref)
	if full == "" || !strings.HasPrefix(req.Ref, "refs/") {
		c.error(http.StatusUnprocessableEntity, "Reference name must start with 'refs/' and have at least two slashes.")
		return
	}
	if objectType(ctx, r.dir, req.SHA) == "" {
		c.error(http.StatusUnprocessableEntity, "Object does not exist")
		return
	}
	r.gitMu.Lock()
	_, err := git(ctx, r.dir, nil, "update-ref", full, req.SHA, "")
	r.gitMu.Unlock()
	if err != nil {
		c.error(http.StatusUnprocessableEntity, "Reference already exists")
		return
	}
	s.refMoved(c, r, full, zeroSHA, req.SHA)
	c.json(http.StatusCreated, s.refJSON(ctx, r, full, req.SHA))
}

func (s *Server) updateRef(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "write") {
		return
	}
	var req struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}
	if !c.decode(&req) {
		return
	}
	ctx := c.r.Context()
	full := fullRef(ctx, r.dir, c.params["ref"])
	if objectType(ctx, r.dir, req.SHA) == "" {
		c.error(http.StatusUnprocessableEntity, "Object does not exist")
		return
	}
	r.gitMu.Lock()
	before, msg := moveRef(ctx, r.dir, full, req.SHA, req.Force)
	r.gitMu.Unlock()
	if msg != "" {
		c.error(http.StatusUnprocessableEntity, msg)
		return
	}
	s.refMoved(c, r, full, before, req.SHA)
	c.json(http.StatusOK, s.refJSON(ctx, r, full, req.SHA))
}

// moveRef points an existing ref at sha, refusing a non-fast-forward
// move unless forced, as GitHub does; with the repository's gitMu held.
func moveRef(ctx context.Context, dir, full, sha string, force bool) (before, msg string) {
	if full != "" {
		before = refTarget(ctx, dir, full)
	}
	switch {
	case before == "":
		return "", "Reference does not exist"
	case !force && before != sha && !isAncestor(ctx, dir, before, sha):
		return "", "Update is not a fast forward"
	}
	if _, err := git(ctx, dir, nil, "update-ref", full, sha, before); err != nil {
		return "", "Reference cannot be updated"
	}
	return before, ""
}

// refMoved sends what follows a branch moving (push, and synchronize for
// its pull requests) after the answer, as GitHub does; the App's bot is
// the pusher.
func (s *Server) refMoved(c *call, r *repo, full, before, after string) {
	branch, ok := strings.CutPrefix(full, "refs/heads/")
	if !ok || before == after {
		return
	}
	s.mu.Lock()
	bot := c.cred.tok.inst.app.bot
	s.mu.Unlock()
	s.later(func() { s.branchUpdated(context.Background(), r, branch, before, after, bot) })
}

func (s *Server) createBlob(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "write") {
		return
	}
	var req struct {
		Content  string `json:"content"`
		Encoding string `json:"encoding"`
	}
	if !c.decode(&req) {
		return
	}
	data := []byte(req.Content)
	switch req.Encoding {
	case "", "utf-8":
	case "base64":
		var err error
		// GitHub's description lets any 422 body of this operation match
		// two schemas, so the fake records this refusal as a violation too:
		// here it flags the client's bad Base64.
		if data, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(req.Content, "\n", "")); err != nil {
			c.validationFailed("Blob", "content", "invalid", "content is not valid Base64")
			return
		}
	default:
		c.validationFailed("Blob", "encoding", "invalid", "encoding must be utf-8 or base64")
		return
	}
	out, err := git(c.r.Context(), r.dir, bytes.NewReader(data), "hash-object", "-w", "--stdin")
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	sha := strings.TrimSpace(string(out))
	c.json(http.StatusCreated, obj{"sha": sha, "url": s.apiRepoURL(r, "/git/blobs/"+sha)})
}
