package gh

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// WriteLimits is an installation's write budget: the limits on each kind
// of write, each kind paced on its own so that a burst of one never
// spends the other's budget. A kind with no limits is not paced.
type WriteLimits struct {
	// Checks limits creating and updating check runs and check suites
	// and creating commit statuses.
	Checks []Limit
	// Content limits every other write: pull requests, issues, comments,
	// reactions, Git data (blobs, trees, commits, refs) ...
	Content []Limit
}

// GitHubWriteLimits returns github.com's write budget. Content: 80 a
// minute and 500 an hour, GitHub's documented limits on content-creating
// requests. Checks: 100 a minute, the rest of GitHub's 900 points a
// minute on the REST API, a write costing 5 points (100 + 80 writes =
// 900 points).
func GitHubWriteLimits() WriteLimits {
	return WriteLimits{
		Checks:  []Limit{{Requests: 100, Per: time.Minute}},
		Content: []Limit{{Requests: 80, Per: time.Minute}, {Requests: 500, Per: time.Hour}},
	}
}

// DefaultWriteLimits returns the write budget for the REST API at
// restBase: GitHubWriteLimits on github.com (api.github.com) and GitHub
// Enterprise Cloud (api.SUBDOMAIN.ghe.com), none anywhere else. GitHub
// Enterprise Server has rate limits off unless its administrator turns
// them on, and a fake GitHub has none.
func DefaultWriteLimits(restBase string) WriteLimits {
	if isGitHubCom(restBase) {
		return GitHubWriteLimits()
	}
	return WriteLimits{}
}

func isGitHubCom(restBase string) bool {
	u, err := url.Parse(restBase)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "api.github.com" ||
		(strings.HasPrefix(host, "api.") && strings.HasSuffix(host, ".ghe.com"))
}

func (w WriteLimits) clone() WriteLimits {
	return WriteLimits{Checks: slices.Clone(w.Checks), Content: slices.Clone(w.Content)}
}

// of returns kind k's limits.
func (w WriteLimits) of(k writeKind) []Limit {
	if k == checksWrite {
		return w.Checks
	}
	return w.Content
}

// writeKind is the part of the write budget a write spends.
type writeKind int

const (
	contentWrite writeKind = iota
	checksWrite
	numWriteKinds
)

// String names the kind in metrics, as WriteLimits and the configuration
// name it.
func (k writeKind) String() string {
	if k == checksWrite {
		return "checks"
	}
	return "content"
}

var (
	checksPath = regexp.MustCompile(`^/repos/[^/]+/[^/]+/check-(runs|suites)(/|$)`)
	statusPath = regexp.MustCompile(`^/repos/[^/]+/[^/]+/statuses/[^/]+$`)
)

// classifyWrite tells a write's kind from its method and its path below
// the REST base path.
func classifyWrite(method, path string) writeKind {
	switch {
	case (method == http.MethodPost || method == http.MethodPatch) && checksPath.MatchString(path):
		return checksWrite
	case method == http.MethodPost && statusPath.MatchString(path):
		return checksWrite
	}
	return contentWrite
}
