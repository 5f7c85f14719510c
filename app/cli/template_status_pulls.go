package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// statusPull is a repository's open template-upgrade pull request.
type statusPull struct {
	Number int    `json:"number"`
	URL    string `json:"url"`
	Title  string `json:"title"`
	Draft  bool   `json:"draft"` // opened as a draft: it has conflicts
}

// upgradeBranch is the branch the App pushes a template's upgrade to.
func upgradeBranch(template string) string { return "portico/template/" + template }

// pullFinder asks GitHub's REST API for the open upgrade pull request of
// one repository: GET /repos/{owner}/{repo}/pulls?head=owner:branch, one
// request per repository. GitHub that stops answering is asked no more.
type pullFinder struct {
	api, token string
	client     *http.Client

	mu       sync.Mutex
	failures int
}

// maxPullFailures is how many failed requests make the rest not tried.
const maxPullFailures = 3

// pullWorkers bounds the requests in flight.
const pullWorkers = 4

// newPullFinder returns a finder for the GitHub server the environment
// names (GITHUB_API_URL, else derived from GITHUB_SERVER_URL as GitHub
// Enterprise Server serves it at /api/v3).
func newPullFinder(getenv func(string) string) *pullFinder {
	server := strings.TrimSuffix(cmp.Or(getenv("GITHUB_SERVER_URL"), defaultServer), "/")
	api := strings.TrimSuffix(getenv("GITHUB_API_URL"), "/")
	switch {
	case api != "":
	case server == defaultServer:
		api = "https://api.github.com"
	default:
		api = server + "/api/v3"
	}
	return &pullFinder{api: api, token: getenv("GITHUB_TOKEN"), client: &http.Client{Timeout: 15 * time.Second}}
}

// annotate sets Pull (or a note) on every listed repository whose
// location is a repository on server.
func (f *pullFinder) annotate(ctx context.Context, server string, repos []statusRepo) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range pullWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				f.one(ctx, server, &repos[i])
			}
		}()
	}
	for i := range repos {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func (f *pullFinder) one(ctx context.Context, server string, r *statusRepo) {
	owner, name, ok := repoAt(server, r.Location)
	if !ok || r.Template == "" {
		return
	}
	if f.gaveUp() {
		r.Note = joinNote(r.Note, "pull requests not read: GitHub did not answer")
		return
	}
	p, err := f.find(ctx, owner, name, r.Template)
	if err != nil {
		f.fail()
		r.Note = joinNote(r.Note, "pull requests not read: "+err.Error())
		return
	}
	r.Pull = p
}

func (f *pullFinder) gaveUp() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failures >= maxPullFailures
}

func (f *pullFinder) fail() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures++
}

// maxPullsBody bounds one list of pull requests read.
const maxPullsBody = 4 << 20

func (f *pullFinder) find(ctx context.Context, owner, name, template string) (*statusPull, error) {
	q := url.Values{"state": {"open"}, "head": {owner + ":" + upgradeBranch(template)}}
	u := fmt.Sprintf("%s/repos/%s/%s/pulls?%s", f.api, url.PathEscape(owner), url.PathEscape(name), q.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if f.token != "" {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("list pull requests of %s/%s: %w", owner, name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("list pull requests of %s/%s: %s", owner, name, resp.Status)
	}
	var pulls []struct {
		Number  int    `json:"number"`
		HTMLURL string `json:"html_url"`
		Title   string `json:"title"`
		Draft   bool   `json:"draft"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxPullsBody)).Decode(&pulls); err != nil {
		return nil, fmt.Errorf("list pull requests of %s/%s: %w", owner, name, err)
	}
	if len(pulls) == 0 {
		return nil, nil
	}
	p := pulls[0]
	return &statusPull{Number: p.Number, URL: p.HTMLURL, Title: p.Title, Draft: p.Draft}, nil
}

// repoAt reads owner and repository from a catalog location
// ("url:https://github.com/acme/payments/blob/main/catalog-info.yaml")
// on server; ok is false for a location elsewhere.
func repoAt(server, location string) (owner, name string, ok bool) {
	u, err := url.Parse(strings.TrimPrefix(location, "url:"))
	if err != nil || !sameHost(u.Scheme+"://"+u.Host, server) {
		return "", "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || !githubRepo.MatchString(parts[0]+"/"+strings.TrimSuffix(parts[1], ".git")) {
		return "", "", false
	}
	return parts[0], strings.TrimSuffix(parts[1], ".git"), true
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func pullText(p *statusPull) string {
	switch {
	case p == nil:
		return "-"
	case p.Draft:
		return fmt.Sprintf("#%d (draft)", p.Number)
	}
	return fmt.Sprintf("#%d", p.Number)
}
