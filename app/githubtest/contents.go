package githubtest

import (
	"encoding/base64"
	"net/http"
	"path"
	"strings"
)

const (
	maxInlineContent = 1 << 20 // larger files come back with encoding "none"
	maxTreeEntries   = 100000  // larger recursive trees are truncated
	maxCommitFiles   = 300
)

func (s *Server) getContents(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") {
		return
	}
	ref := c.query("ref")
	sha := c.refOrDefault(r, ref)
	if sha == "" {
		return
	}
	if ref == "" {
		ref = r.defaultBranch
	}
	p := strings.Trim(c.params["path"], "/")
	if p == "" {
		c.contentDir(r, sha, p, ref)
		return
	}
	e, ok := lsPath(c.r.Context(), r.dir, sha, p)
	switch {
	case !ok:
		c.error(http.StatusNotFound, "Not Found")
	case e.kind == "tree":
		c.contentDir(r, sha, p, ref)
	default:
		c.contentFile(r, e, ref)
	}
}

// contentDir answers a directory listing.
func (c *call) contentDir(r *repo, sha, p, ref string) {
	entries, err := lsTree(c.r.Context(), r.dir, sha+":"+p, false)
	if err != nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	list := []any{}
	for _, e := range entries {
		list = append(list, c.s.contentEntry(r, e, path.Join(p, e.path), ref))
	}
	c.json(http.StatusOK, list)
}

// contentFile answers a file (or symlink, or submodule) with its content.
func (c *call) contentFile(r *repo, e treeEntry, ref string) {
	o := c.s.contentEntry(r, e, e.path, ref)
	if o["type"] == "file" || o["type"] == "symlink" {
		data, err := readBlob(c.r.Context(), r.dir, e.sha)
		if err != nil {
			c.error(http.StatusInternalServerError, err.Error())
			return
		}
		if c.wantsRaw() {
			c.rawContent(data)
			return
		}
		if o["type"] == "symlink" {
			o["target"] = string(data)
		}
		o["content"], o["encoding"] = encodeContent(data), "base64"
		if len(data) > maxInlineContent {
			o["content"], o["encoding"] = "", "none"
		}
	}
	c.json(http.StatusOK, o)
}

// contentEntry is a file or directory as the contents API describes it.
func (s *Server) contentEntry(r *repo, e treeEntry, p, ref string) obj {
	kind := "file"
	switch {
	case e.kind == "tree":
		kind = "dir"
	case e.kind == "commit":
		kind = "submodule"
	case e.mode == "120000":
		kind = "symlink"
	}
	self := s.apiRepoURL(r, "/contents/"+escapePath(p)+"?ref="+escapeQuery(ref))
	gitURL := s.apiRepoURL(r, "/git/blobs/"+e.sha)
	if kind == "dir" {
		gitURL = s.apiRepoURL(r, "/git/trees/"+e.sha)
	}
	html := s.base + "/" + r.fullName() + "/blob/" + escapeQuery(ref) + "/" + escapePath(p)
	var download any
	if kind == "file" {
		download = s.base + "/" + r.fullName() + "/raw/" + escapeQuery(ref) + "/" + escapePath(p)
	}
	return obj{
		"type": kind, "name": path.Base(p), "path": p, "sha": e.sha, "size": e.size,
		"url": self, "git_url": gitURL, "html_url": html, "download_url": download,
		"_links": obj{"self": self, "git": gitURL, "html": html},
	}
}

// encodeContent is base64 in lines of 60 characters, as GitHub sends it.
func encodeContent(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60])
		b.WriteByte('\n')
		enc = enc[60:]
	}
	b.WriteString(enc)
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

func escapeQuery(s string) string { return strings.ReplaceAll(s, "?", "%3F") }

func (s *Server) getTree(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") {
		return
	}
	tree := resolveTree(c.r.Context(), r.dir, c.params["tree_sha"])
	if tree == "" {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	entries, err := lsTree(c.r.Context(), r.dir, tree, c.query("recursive") != "")
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	truncated := len(entries) > maxTreeEntries
	entries = entries[:min(len(entries), maxTreeEntries)]
	list := make([]any, 0, len(entries))
	for _, e := range entries {
		list = append(list, s.treeEntryJSON(r, e))
	}
	c.json(http.StatusOK, obj{"sha": tree, "url": s.apiRepoURL(r, "/git/trees/"+tree), "tree": list, "truncated": truncated})
}

func (s *Server) treeEntryJSON(r *repo, e treeEntry) obj {
	o := obj{"path": e.path, "mode": e.mode, "type": e.kind, "sha": e.sha}
	switch e.kind {
	case "blob":
		o["size"], o["url"] = e.size, s.apiRepoURL(r, "/git/blobs/"+e.sha)
	case "tree":
		o["url"] = s.apiRepoURL(r, "/git/trees/"+e.sha)
	}
	return o
}

func (s *Server) getBlob(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") {
		return
	}
	sha := c.params["file_sha"]
	if objectType(c.r.Context(), r.dir, sha) != "blob" {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	data, err := readBlob(c.r.Context(), r.dir, sha)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	if c.wantsRaw() {
		c.rawContent(data)
		return
	}
	c.json(http.StatusOK, obj{
		"sha": sha, "node_id": nodeID("Blob", int64(len(sha))), "size": len(data),
		"url": s.apiRepoURL(r, "/git/blobs/"+sha), "content": encodeContent(data), "encoding": "base64",
	})
}

func (s *Server) getCommit(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("contents", "read") {
		return
	}
	sha := resolve(c.r.Context(), r.dir, c.params["ref"])
	if sha == "" && isEmpty(c.r.Context(), r.dir) {
		c.error(http.StatusConflict, "Git Repository is empty.")
		return
	}
	if sha == "" {
		c.error(http.StatusUnprocessableEntity, "No commit found for SHA: "+c.params["ref"])
		return
	}
	m, err := readCommit(c.r.Context(), r.dir, sha)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	parent := ""
	if len(m.parents) > 0 {
		parent = m.parents[0]
	}
	changes, err := diff(c.r.Context(), r.dir, parent, sha)
	if err != nil {
		c.error(http.StatusInternalServerError, err.Error())
		return
	}
	lo, hi := c.pageOf(len(changes), maxCommitFiles, maxCommitFiles)
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.commitJSON(r, m)
	add, del := 0, 0
	files := []any{}
	for i, ch := range changes {
		add, del = add+ch.additions, del+ch.deletions
		if i >= lo && i < hi {
			files = append(files, s.diffEntryJSON(r, sha, ch))
		}
	}
	o["stats"] = obj{"additions": add, "deletions": del, "total": add + del}
	o["files"] = files
	c.json(http.StatusOK, o)
}

// commitJSON is a commit as the commits API describes it, without files.
func (s *Server) commitJSON(r *repo, m commitMeta) obj {
	api := s.apiRepoURL(r, "")
	html := s.base + "/" + r.fullName()
	parents := []any{}
	for _, p := range m.parents {
		parents = append(parents, obj{"sha": p, "url": api + "/commits/" + p, "html_url": html + "/commit/" + p})
	}
	return obj{
		"sha": m.sha, "node_id": commitNodeID(r, m.sha), "url": api + "/commits/" + m.sha,
		"html_url": html + "/commit/" + m.sha, "comments_url": api + "/commits/" + m.sha + "/comments",
		"commit": obj{
			"url":       api + "/git/commits/" + m.sha,
			"author":    obj{"name": m.authorName, "email": m.authorEmail, "date": ts(m.authorDate)},
			"committer": obj{"name": m.committerName, "email": m.committerEmail, "date": ts(m.committerDate)},
			"message":   m.message, "comment_count": 0,
			"tree":         obj{"sha": m.tree, "url": api + "/git/trees/" + m.tree},
			"verification": obj{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil},
		},
		"author": s.userByEmail(m.authorEmail), "committer": s.userByEmail(m.committerEmail),
		"parents": parents,
	}
}

func commitNodeID(r *repo, sha string) string { return nodeID("Commit", r.id) + sha[:7] }

// userByEmail finds the account behind a noreply address the fake wrote;
// nil (JSON null) for any other address, as GitHub does for unknown ones.
func (s *Server) userByEmail(email string) any {
	local, ok := strings.CutSuffix(email, "@users.noreply.github.com")
	if !ok {
		return nil
	}
	_, login, _ := strings.Cut(local, "+")
	if a := s.st.accounts[lower(login)]; a != nil {
		return s.userJSON(a)
	}
	return nil
}

// diffEntryJSON is a changed file as the commits and pulls APIs list it.
func (s *Server) diffEntryJSON(r *repo, commit string, ch fileChange) obj {
	html := s.base + "/" + r.fullName()
	o := obj{
		"sha": ch.sha, "filename": ch.path, "status": ch.status,
		"additions": ch.additions, "deletions": ch.deletions, "changes": ch.additions + ch.deletions,
		"blob_url":     html + "/blob/" + commit + "/" + escapePath(ch.path),
		"raw_url":      html + "/raw/" + commit + "/" + escapePath(ch.path),
		"contents_url": s.apiRepoURL(r, "/contents/"+escapePath(ch.path)+"?ref="+commit),
	}
	if ch.previous != "" {
		o["previous_filename"] = ch.previous
	}
	return o
}
