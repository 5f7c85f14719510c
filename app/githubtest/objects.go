package githubtest

import (
	"fmt"
	"sort"
)

// The JSON objects below are built from the state with Server.mu held.
// They carry what the fake knows; filler completes the rest of GitHub's
// shape when they are sent.

func (s *Server) userJSON(a *account) obj {
	u := s.base + "/users/" + a.login
	return obj{
		"login": a.login, "id": a.id, "node_id": nodeID(a.kind, a.id), "type": a.kind,
		"url": u, "html_url": s.base + "/" + a.login, "site_admin": false,
		"avatar_url": fmt.Sprintf("%s/avatars/u/%d?v=4", s.base, a.id), "gravatar_id": "",
		"followers_url": u + "/followers", "following_url": u + "/following{/other_user}",
		"gists_url": u + "/gists{/gist_id}", "starred_url": u + "/starred{/owner}{/repo}",
		"subscriptions_url": u + "/subscriptions", "organizations_url": u + "/orgs",
		"repos_url": u + "/repos", "events_url": u + "/events{/privacy}",
		"received_events_url": u + "/received_events", "user_view_type": "public",
	}
}

func (s *Server) appJSON(a *app) obj {
	return obj{
		"id": a.id, "slug": a.slug, "node_id": nodeID("Integration", a.id), "client_id": a.clientID,
		"owner": s.userJSON(a.owner), "name": a.name, "description": "",
		"external_url": s.appHomepage(a), "html_url": s.base + "/apps/" + a.slug,
		"created_at": ts(a.created), "updated_at": ts(a.created),
		"permissions": a.permissions, "events": appEvents(a), "installations_count": s.installationCount(a),
	}
}

// appHomepage is an App's external URL, which GitHub also uses as the
// details_url of check runs that give none.
func (s *Server) appHomepage(a *app) string {
	if a.homepage != "" {
		return a.homepage
	}
	return s.base + "/apps/" + a.slug
}

func appEvents(a *app) []string {
	if a.events == nil {
		return []string{}
	}
	return a.events
}

func (s *Server) installationCount(a *app) int {
	n := 0
	for _, i := range s.st.installations {
		if i.app == a {
			n++
		}
	}
	return n
}

func (s *Server) installationJSON(i *installation) obj {
	return obj{
		"id": i.id, "account": s.userJSON(i.account), "repository_selection": selection(i),
		"access_tokens_url": fmt.Sprintf("%s/app/installations/%d/access_tokens", s.base, i.id),
		"repositories_url":  s.base + "/installation/repositories",
		"html_url":          fmt.Sprintf("%s/settings/installations/%d", s.base, i.id),
		"app_id":            i.app.id, "app_slug": i.app.slug, "client_id": i.app.clientID,
		"target_id": i.account.id, "target_type": i.account.kind,
		"permissions": i.app.permissions, "events": appEvents(i.app),
		"created_at": ts(i.created), "updated_at": ts(i.created),
		"single_file_name": nil, "has_multiple_single_files": false, "single_file_paths": []string{},
		"suspended_by": nil, "suspended_at": nil,
	}
}

func selection(i *installation) string {
	if i.all {
		return "all"
	}
	return "selected"
}

func (s *Server) repoJSON(r *repo) obj {
	api := s.base + "/repos/" + r.fullName()
	o := obj{
		"id": r.id, "node_id": nodeID("Repository", r.id), "name": r.name, "full_name": r.fullName(),
		"owner": s.userJSON(r.owner), "private": r.private, "visibility": visibility(r),
		"html_url": s.base + "/" + r.fullName(), "url": api, "fork": r.parent != nil,
		"description": nil, "default_branch": r.defaultBranch,
		"clone_url": s.GitURL(r.owner.login, r.name), "git_url": s.GitURL(r.owner.login, r.name),
		"ssh_url": "git@" + hostOf(s.base) + ":" + r.fullName() + ".git", "svn_url": s.base + "/" + r.fullName(),
		"created_at": ts(r.created), "updated_at": ts(r.pushed), "pushed_at": ts(r.pushed),
		"archived": false, "disabled": false, "is_template": false, "topics": []string{},
		"has_issues": true, "has_projects": false, "has_wiki": false, "has_pages": false,
		"has_downloads": true, "has_discussions": false, "allow_forking": true,
		"web_commit_signoff_required": false, "size": 0, "language": nil, "homepage": nil,
		"mirror_url": nil, "license": nil, "open_issues_count": s.openIssues(r),
		"open_issues": s.openIssues(r), "forks_count": 0, "forks": 0,
		"stargazers_count": 0, "watchers_count": 0, "watchers": 0,
	}
	for k, v := range repoURLTemplates {
		o[k] = api + v
	}
	return o
}

// repoURLTemplates are a repository's hypermedia URLs, relative to its
// API URL, as GitHub spells them.
var repoURLTemplates = map[string]string{
	"archive_url": "/{archive_format}{/ref}", "assignees_url": "/assignees{/user}",
	"blobs_url": "/git/blobs{/sha}", "branches_url": "/branches{/branch}",
	"collaborators_url": "/collaborators{/collaborator}", "comments_url": "/comments{/number}",
	"commits_url": "/commits{/sha}", "compare_url": "/compare/{base}...{head}",
	"contents_url": "/contents/{+path}", "contributors_url": "/contributors",
	"deployments_url": "/deployments", "downloads_url": "/downloads", "events_url": "/events",
	"forks_url": "/forks", "git_commits_url": "/git/commits{/sha}", "git_refs_url": "/git/refs{/sha}",
	"git_tags_url": "/git/tags{/sha}", "hooks_url": "/hooks", "issue_comment_url": "/issues/comments{/number}",
	"issue_events_url": "/issues/events{/number}", "issues_url": "/issues{/number}",
	"keys_url": "/keys{/key_id}", "labels_url": "/labels{/name}", "languages_url": "/languages",
	"merges_url": "/merges", "milestones_url": "/milestones{/number}",
	"notifications_url": "/notifications{?since,all,participating}", "pulls_url": "/pulls{/number}",
	"releases_url": "/releases{/id}", "stargazers_url": "/stargazers", "statuses_url": "/statuses/{sha}",
	"subscribers_url": "/subscribers", "subscription_url": "/subscription", "tags_url": "/tags",
	"teams_url": "/teams", "trees_url": "/git/trees{/sha}",
}

func visibility(r *repo) string {
	if r.private {
		return "private"
	}
	return "public"
}

func (s *Server) openIssues(r *repo) int {
	n := 0
	for _, is := range r.issues {
		if is.state == "open" {
			n++
		}
	}
	return n
}

// issueJSON is an issue; a pull request's issue links to the pull request.
func (s *Server) issueJSON(r *repo, is *issue) obj {
	api := fmt.Sprintf("%s/repos/%s/issues/%d", s.base, r.fullName(), is.number)
	o := obj{
		"id": is.id, "node_id": nodeID("Issue", is.id), "number": is.number, "title": is.title,
		"body": nilIfEmpty(is.body), "user": s.userJSON(is.user), "state": is.state,
		"url": api, "repository_url": s.base + "/repos/" + r.fullName(),
		"labels_url": api + "/labels{/name}", "comments_url": api + "/comments", "events_url": api + "/events",
		"html_url": fmt.Sprintf("%s/%s/issues/%d", s.base, r.fullName(), is.number),
		"labels":   s.labelsJSON(r, is), "assignees": []any{}, "assignee": nil, "milestone": nil, "locked": false,
		"comments": s.commentCount(r, is.number), "author_association": association(r, is.user),
		"created_at": ts(is.created), "updated_at": ts(is.updated), "closed_at": tsOrNil(is.closed),
		"active_lock_reason": nil, "state_reason": nil,
	}
	if is.pull != nil {
		pr := fmt.Sprintf("%s/%s/pull/%d", s.base, r.fullName(), is.number)
		o["html_url"] = pr
		o["pull_request"] = obj{
			"url":      fmt.Sprintf("%s/repos/%s/pulls/%d", s.base, r.fullName(), is.number),
			"html_url": pr, "diff_url": pr + ".diff", "patch_url": pr + ".patch", "merged_at": nil,
		}
		o["draft"] = is.pull.draft
	}
	return o
}

func (s *Server) commentCount(r *repo, number int) int {
	n := 0
	for _, c := range s.st.comments {
		if c.repo == r && c.IssueNumber == number {
			n++
		}
	}
	return n
}

// association is how a user relates to a repository, as GitHub reports
// it next to issues and comments.
func association(r *repo, u *account) string {
	switch {
	case u == r.owner:
		return "OWNER"
	case u.kind == "Bot":
		return "NONE"
	case r.collaborators[lower(u.login)] != "":
		return "COLLABORATOR"
	}
	return "NONE"
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func hostOf(base string) string {
	for _, p := range []string{"http://", "https://"} {
		if len(base) > len(p) && base[:len(p)] == p {
			return base[len(p):]
		}
	}
	return base
}

// sortedIDs returns map keys in ascending order, GitHub's order of
// creation.
func sortedIDs[V any](m map[int64]V) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
