package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// GitHub's limits on check run requests.
const (
	maxAnnotationsPerRequest = 50
	maxOutputChars           = 65535
)

// CheckRun is a check run as the fake holds it.
type CheckRun struct {
	ID          int64        `json:"id"`
	AppID       int64        `json:"app_id"`
	Name        string       `json:"name"`
	HeadSHA     string       `json:"head_sha"`
	Status      string       `json:"status"`     // queued, in_progress or completed
	Conclusion  string       `json:"conclusion"` // "" until completed
	ExternalID  string       `json:"external_id"`
	DetailsURL  string       `json:"details_url"`
	StartedAt   time.Time    `json:"started_at"`
	CompletedAt time.Time    `json:"completed_at"`
	Title       string       `json:"title"`
	Summary     string       `json:"summary"`
	Text        string       `json:"text"`
	Annotations []Annotation `json:"annotations"` // accumulated over every request, as on GitHub
	Requests    int          `json:"requests"`    // the create and update requests that made it
}

// Annotation is a check run's line annotation.
type Annotation struct {
	Path        string `json:"path"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	StartColumn *int   `json:"start_column,omitempty"`
	EndColumn   *int   `json:"end_column,omitempty"`
	Level       string `json:"annotation_level"` // notice, warning or failure
	Message     string `json:"message"`
	Title       string `json:"title,omitempty"`
	RawDetails  string `json:"raw_details,omitempty"`
}

// checkRunRequest is the body of a create or update; absent fields keep
// their value on update.
type checkRunRequest struct {
	Name        *string    `json:"name"`
	HeadSHA     string     `json:"head_sha"`
	DetailsURL  *string    `json:"details_url"`
	ExternalID  *string    `json:"external_id"`
	Status      *string    `json:"status"`
	Conclusion  *string    `json:"conclusion"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	Output      *struct {
		Title       *string      `json:"title"`
		Summary     *string      `json:"summary"`
		Text        *string      `json:"text"`
		Annotations []Annotation `json:"annotations"`
	} `json:"output"`
}

// CheckRuns returns the check runs on a commit of a repository, oldest
// first, with their outputs and annotations.
func (s *Server) CheckRuns(owner, name, sha string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckRun
	for _, id := range sortedIDs(s.st.checkRuns) {
		cr := s.st.checkRuns[id]
		if lower(cr.repo.fullName()) == lower(owner+"/"+name) && (sha == "" || cr.HeadSHA == sha) {
			run := cr.CheckRun
			run.Annotations = append([]Annotation(nil), cr.Annotations...)
			out = append(out, run)
		}
	}
	return out
}

func (s *Server) createCheckRun(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("checks", "write") {
		return
	}
	var req checkRunRequest
	if !c.decode(&req) || !c.checkRequest(req) {
		return
	}
	if len(req.HeadSHA) != 40 || resolve(c.r.Context(), r.dir, req.HeadSHA) != req.HeadSHA {
		c.validationFailed("CheckRun", "head_sha", "invalid", "No commit found for SHA: "+req.HeadSHA)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := c.cred.tok.inst.app
	cr := &checkRun{repo: r, app: a, suite: s.suite(r, a, req.HeadSHA)}
	cr.ID, cr.AppID, cr.HeadSHA, cr.Status = s.st.newID(), a.id, req.HeadSHA, "queued"
	cr.StartedAt, cr.DetailsURL = time.Now(), s.appHomepage(a)
	applyCheckRun(&cr.CheckRun, req)
	s.st.checkRuns[cr.ID] = cr
	c.json(http.StatusCreated, s.checkRunJSON(cr))
}

func (s *Server) updateCheckRun(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("checks", "write") {
		return
	}
	var req checkRunRequest
	if !c.decode(&req) || !c.checkRequest(req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.st.checkRuns[c.intParam("check_run_id")]
	if cr == nil || cr.repo != r || cr.app != c.cred.tok.inst.app {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	applyCheckRun(&cr.CheckRun, req)
	c.json(http.StatusOK, s.checkRunJSON(cr))
}

// checkRequest enforces what GitHub refuses beyond the description's
// schema: too many annotations, too long an output, columns across lines,
// a completed run without a conclusion.
func (c *call) checkRequest(req checkRunRequest) bool {
	if req.Status != nil && *req.Status == "completed" && req.Conclusion == nil {
		c.validationFailed("CheckRun", "conclusion", "missing_field", "conclusion is required when status is completed")
		return false
	}
	if req.Output == nil {
		return true
	}
	o := req.Output
	if len(o.Annotations) > maxAnnotationsPerRequest {
		c.validationFailed("CheckRun", "annotations", "invalid", fmt.Sprintf("Only %d annotations are allowed per request", maxAnnotationsPerRequest))
		return false
	}
	for _, f := range []*string{o.Summary, o.Text} {
		if f != nil && utf8.RuneCountInString(*f) > maxOutputChars {
			c.validationFailed("CheckRun", "output", "invalid", fmt.Sprintf("Output summary and text are limited to %d characters", maxOutputChars))
			return false
		}
	}
	for i, a := range o.Annotations {
		if a.EndLine < a.StartLine || ((a.StartColumn != nil || a.EndColumn != nil) && a.StartLine != a.EndLine) {
			c.validationFailed("CheckRun", "annotations["+strconv.Itoa(i)+"]", "invalid",
				"start_column and end_column may only be used when start_line and end_line are the same, and end_line must not precede start_line")
			return false
		}
	}
	return true
}

// applyCheckRun merges a request into a run: fields replace, annotations
// accumulate.
func applyCheckRun(cr *CheckRun, req checkRunRequest) {
	cr.Requests++
	setIf(&cr.Name, req.Name)
	setIf(&cr.DetailsURL, req.DetailsURL)
	setIf(&cr.ExternalID, req.ExternalID)
	setIf(&cr.Status, req.Status)
	if req.StartedAt != nil {
		cr.StartedAt = *req.StartedAt
	}
	if req.Conclusion != nil {
		cr.Conclusion, cr.Status = *req.Conclusion, "completed"
	}
	if req.CompletedAt != nil {
		cr.CompletedAt = *req.CompletedAt
	}
	if cr.Status == "completed" && cr.CompletedAt.IsZero() {
		cr.CompletedAt = time.Now()
	}
	if o := req.Output; o != nil {
		setIf(&cr.Title, o.Title)
		setIf(&cr.Summary, o.Summary)
		setIf(&cr.Text, o.Text)
		cr.Annotations = append(cr.Annotations, o.Annotations...)
	}
}

func setIf(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// suite finds or creates an App's check suite on a commit; with
// Server.mu held.
func (s *Server) suite(r *repo, a *app, sha string) *checkSuite {
	for _, cs := range s.st.checkSuites {
		if cs.repo == r && cs.app == a && cs.headSHA == sha {
			return cs
		}
	}
	cs := &checkSuite{id: s.st.newID(), repo: r, app: a, headSHA: sha}
	s.st.checkSuites = append(s.st.checkSuites, cs)
	return cs
}

func (s *Server) getCheckRun(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("checks", "read") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.st.checkRuns[c.intParam("check_run_id")]
	if cr == nil || cr.repo != r {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, s.checkRunJSON(cr))
}

func (s *Server) listAnnotations(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("checks", "read") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.st.checkRuns[c.intParam("check_run_id")]
	if cr == nil || cr.repo != r {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	lo, hi := c.page(len(cr.Annotations))
	list := []any{}
	for _, a := range cr.Annotations[lo:hi] {
		list = append(list, obj{
			"path": a.Path, "start_line": a.StartLine, "end_line": a.EndLine,
			"start_column": intOrNil(a.StartColumn), "end_column": intOrNil(a.EndColumn),
			"annotation_level": a.Level, "title": a.Title, "message": a.Message, "raw_details": a.RawDetails,
			"blob_href": fmt.Sprintf("%s/%s/blob/%s/%s", s.base, r.fullName(), cr.HeadSHA, escapePath(a.Path)),
		})
	}
	c.json(http.StatusOK, list)
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func (s *Server) listCheckRunsForRef(c *call) {
	r := c.repo()
	if r == nil || !c.permitted("checks", "read") {
		return
	}
	sha := resolve(c.r.Context(), r.dir, c.params["ref"])
	if sha == "" {
		c.validationFailed("Commit", "ref", "invalid", "No commit found for SHA: "+c.params["ref"])
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	runs := s.filterRuns(c, r, sha)
	lo, hi := c.page(len(runs))
	list := []any{}
	for _, cr := range runs[lo:hi] {
		list = append(list, s.checkRunJSON(cr))
	}
	c.json(http.StatusOK, obj{"total_count": len(runs), "check_runs": list})
}

// filterRuns applies check_name, status, app_id and filter (latest: the
// newest run of each name), newest first.
func (s *Server) filterRuns(c *call, r *repo, sha string) []*checkRun {
	name, status, appID := c.query("check_name"), c.query("status"), c.query("app_id")
	var runs []*checkRun
	seen := map[string]bool{}
	ids := sortedIDs(s.st.checkRuns)
	for i := len(ids) - 1; i >= 0; i-- {
		cr := s.st.checkRuns[ids[i]]
		if cr.repo != r || cr.HeadSHA != sha || (name != "" && cr.Name != name) ||
			(status != "" && cr.Status != status) || (appID != "" && strconv.FormatInt(cr.AppID, 10) != appID) {
			continue
		}
		if c.query("filter") != "all" && seen[cr.Name] {
			continue
		}
		seen[cr.Name] = true
		runs = append(runs, cr)
	}
	return runs
}

// checkRunJSON is a check run as the checks API describes it; with
// Server.mu held.
func (s *Server) checkRunJSON(cr *checkRun) obj {
	api := s.apiRepoURL(cr.repo, "/check-runs/"+strconv.FormatInt(cr.ID, 10))
	var conclusion, completed any
	if cr.Conclusion != "" {
		conclusion = cr.Conclusion
	}
	if !cr.CompletedAt.IsZero() {
		completed = ts(cr.CompletedAt)
	}
	return obj{
		"id": cr.ID, "node_id": nodeID("CheckRun", cr.ID), "head_sha": cr.HeadSHA, "name": cr.Name,
		"external_id": cr.ExternalID, "url": api, "html_url": fmt.Sprintf("%s/%s/runs/%d", s.base, cr.repo.fullName(), cr.ID),
		"details_url": nilIfEmpty(cr.DetailsURL), "status": cr.Status, "conclusion": conclusion,
		"started_at": ts(cr.StartedAt), "completed_at": completed,
		"output": obj{
			"title": nilIfEmpty(cr.Title), "summary": nilIfEmpty(cr.Summary), "text": nilIfEmpty(cr.Text),
			"annotations_count": len(cr.Annotations), "annotations_url": api + "/annotations",
		},
		"check_suite": obj{"id": cr.suite.id}, "app": s.appJSON(cr.app),
		"pull_requests": s.minimalPulls(cr.repo, cr.HeadSHA),
	}
}

// minimalPulls are the open pull requests of a repository whose head is
// sha, in the short form check runs and suites carry.
func (s *Server) minimalPulls(r *repo, sha string) []any {
	out := []any{}
	numbers := make([]int, 0, len(r.issues))
	for n := range r.issues {
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	for _, n := range numbers {
		is := r.issues[n]
		p := is.pull
		if p == nil || is.state != "open" || p.headSHA != sha || p.headRepo != r {
			continue
		}
		short := func(rr *repo) obj { return obj{"id": rr.id, "url": s.apiRepoURL(rr, ""), "name": rr.name} }
		out = append(out, obj{
			"id": p.id, "number": n, "url": fmt.Sprintf("%s/repos/%s/pulls/%d", s.base, r.fullName(), n),
			"head": obj{"ref": p.headRef, "sha": p.headSHA, "repo": short(p.headRepo)},
			"base": obj{"ref": p.baseRef, "sha": p.baseSHA, "repo": short(r)},
		})
	}
	return out
}

// RerequestCheckSuite asks every App installed on a repository to run its
// checks on a commit again, as the "Re-run all checks" button does, by
// sending check_suite.rerequested (a suite is made for an App without
// one, as GitHub makes them on push).
func (s *Server) RerequestCheckSuite(owner, name, sha string) error {
	r, err := s.lookupRepo(owner, name)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if full := resolve(ctx, r.dir, sha); full != sha || len(sha) != 40 {
		return fmt.Errorf("rerequest check suite: no commit %s in %s/%s", sha, owner, name)
	}
	s.mu.Lock()
	var suites []*checkSuite
	for _, i := range s.repoInstallations(r) {
		suites = append(suites, s.suite(r, i.app, sha))
	}
	s.mu.Unlock()
	for _, cs := range suites {
		s.sendCheckSuite(ctx, cs, "rerequested")
	}
	return nil
}

// RerequestCheckRun asks a check run's App to run it again, as its
// "Re-run" button does, by sending check_run.rerequested.
func (s *Server) RerequestCheckRun(owner, name string, checkRunID int64) error {
	s.mu.Lock()
	cr := s.st.checkRuns[checkRunID]
	s.mu.Unlock()
	if cr == nil || lower(cr.repo.fullName()) != lower(owner+"/"+name) {
		return fmt.Errorf("rerequest check run: no check run %d in %s/%s", checkRunID, owner, name)
	}
	s.mu.Lock()
	payload := s.repoPayload(cr.repo, "rerequested", s.st.account(DefaultSender, "User"))
	run := s.checkRunJSON(cr)
	run["check_suite"] = s.suiteJSON(cr.suite, nil)
	payload["check_run"] = run
	inst := s.appInstallation(cr.app, cr.repo)
	s.mu.Unlock()
	s.deliver(cr.app, inst, cr.repo.id, "check_run", "rerequested", payload)
	return nil
}

func (s *Server) sendCheckSuite(ctx context.Context, cs *checkSuite, action string) {
	head, err := readCommit(ctx, cs.repo.dir, cs.headSHA)
	if err != nil {
		s.log.Error("githubtest: check suite", "err", err)
		return
	}
	branch := s.branchAt(ctx, cs.repo, cs.headSHA)
	s.mu.Lock()
	cs.branch = branch
	payload := s.repoPayload(cs.repo, action, s.st.account(DefaultSender, "User"))
	payload["check_suite"] = s.suiteJSON(cs, &head)
	inst := s.appInstallation(cs.app, cs.repo)
	s.mu.Unlock()
	s.deliver(cs.app, inst, cs.repo.id, "check_suite", action, payload)
}

// branchAt names a branch whose head is sha, preferring the default.
func (s *Server) branchAt(ctx context.Context, r *repo, sha string) string {
	heads, _ := branches(ctx, r.dir)
	if heads[r.defaultBranch] == sha {
		return r.defaultBranch
	}
	names := make([]string, 0, len(heads))
	for n, h := range heads {
		if h == sha {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

// suiteJSON is a check suite as its events describe it; with Server.mu
// held.
func (s *Server) suiteJSON(cs *checkSuite, head *commitMeta) obj {
	status, conclusion, count := "queued", any(nil), 0
	for _, cr := range s.st.checkRuns {
		if cr.suite == cs {
			count++
		}
	}
	o := obj{
		"id": cs.id, "node_id": nodeID("CheckSuite", cs.id), "head_branch": nilIfEmpty(cs.branch),
		"head_sha": cs.headSHA, "status": status, "conclusion": conclusion,
		"url":    s.apiRepoURL(cs.repo, "/check-suites/"+strconv.FormatInt(cs.id, 10)),
		"before": nil, "after": cs.headSHA, "pull_requests": s.minimalPulls(cs.repo, cs.headSHA),
		"app": s.appJSON(cs.app), "created_at": ts(time.Now()), "updated_at": ts(time.Now()),
		"latest_check_runs_count": count, "rerequestable": true, "runs_rerequestable": true,
		"check_runs_url": s.apiRepoURL(cs.repo, "/check-suites/"+strconv.FormatInt(cs.id, 10)+"/check-runs"),
	}
	if head != nil {
		o["head_commit"] = obj{
			"id": head.sha, "tree_id": head.tree, "message": head.message, "timestamp": head.committerDate.Format(time.RFC3339),
			"author":    obj{"name": head.authorName, "email": head.authorEmail},
			"committer": obj{"name": head.committerName, "email": head.committerEmail},
		}
	}
	return o
}
