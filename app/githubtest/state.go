package githubtest

import (
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"sync"
	"time"
)

// account is a user, organisation or bot.
type account struct {
	id    int64
	login string
	kind  string // User, Organization or Bot
}

// app is a registered GitHub App.
type app struct {
	id            int64
	slug, name    string
	owner         *account
	bot           *account
	clientID      string
	clientSecret  string
	webhookSecret string
	webhookURL    string
	hookID        int64
	key           *rsa.PrivateKey
	pem           []byte
	events        []string // nil: every event
	permissions   map[string]string
	setupURL      string
	homepage      string
	created       time.Time
}

// installation is an App installed on an account.
type installation struct {
	id      int64
	app     *app
	account *account
	all     bool           // repository_selection "all"
	repos   map[int64]bool // the selected repositories otherwise
	created time.Time
}

// token is an installation access token.
type token struct {
	value       string
	inst        *installation
	repos       map[int64]bool    // nil: every repository of the installation
	permissions map[string]string // nil: the App's
	expires     time.Time
}

// repo is a repository; its Git data lives in dir, a bare repository.
type repo struct {
	id            int64
	owner         *account
	name          string
	defaultBranch string
	private       bool
	parent        *repo // the repository this one is a fork of
	dir           string
	collaborators map[string]string // login -> admin, maintain, write, triage, read
	protected     map[string]bool   // branch -> protected (ProtectBranch)
	languages     map[string]int    // language -> bytes (SetLanguages)
	issues        map[int]*issue
	labels        map[string]*label // by lower-case name
	nextNumber    int
	created       time.Time
	pushed        time.Time

	gitMu sync.Mutex // one writer at a time: Commit, git push
}

func (r *repo) fullName() string { return r.owner.login + "/" + r.name }

// issue is an issue or, with pull set, a pull request.
type issue struct {
	id      int64
	number  int
	title   string
	body    string
	user    *account
	state   string // open or closed
	created time.Time
	updated time.Time
	closed  time.Time
	pull    *pull
	labels  []*label
}

// label is a repository's label.
type label struct {
	id          int64
	name, color string
}

// pull is what a pull request has beyond its issue.
type pull struct {
	id       int64
	headRepo *repo
	headRef  string
	baseRef  string
	headSHA  string
	baseSHA  string
	draft    bool
	merged   bool
}

// checkRun is a check run with the repository and App it belongs to.
type checkRun struct {
	CheckRun
	repo  *repo
	app   *app
	suite *checkSuite
}

// checkSuite groups an App's check runs on one commit.
type checkSuite struct {
	id      int64
	repo    *repo
	app     *app
	headSHA string
	branch  string
}

// comment is an issue or pull request comment.
type comment struct {
	IssueComment
	repo      *repo
	user      *account
	reactions []reaction
}

type reaction struct {
	id      int64
	content string
	user    *account
	created time.Time
}

// state is everything the fake remembers besides Git data. Server.mu
// guards it.
type state struct {
	lastID        int64
	accounts      map[string]*account
	apps          map[int64]*app
	installations map[int64]*installation
	tokens        map[string]*token
	repos         map[string]*repo // by lower-case full name
	checkRuns     map[int64]*checkRun
	checkSuites   []*checkSuite
	comments      map[int64]*comment
	manifestCodes map[string]manifestCode
	deliveries    []*delivery
}

func newState() state {
	return state{
		lastID:        1000,
		accounts:      map[string]*account{},
		apps:          map[int64]*app{},
		installations: map[int64]*installation{},
		tokens:        map[string]*token{},
		repos:         map[string]*repo{},
		checkRuns:     map[int64]*checkRun{},
		comments:      map[int64]*comment{},
		manifestCodes: map[string]manifestCode{},
	}
}

// newID numbers every object: ids are unique across kinds, so a test
// that mixes up an installation id and a repository id fails.
func (st *state) newID() int64 {
	st.lastID++
	return st.lastID
}

// account finds or creates an account; kind applies only to a new one.
func (st *state) account(login, kind string) *account {
	key := lower(login)
	if a, ok := st.accounts[key]; ok {
		return a
	}
	a := &account{id: st.newID(), login: login, kind: kind}
	st.accounts[key] = a
	return a
}

// nodeID is a node id in GitHub's legacy format, base64 of "0<len>:<Type><id>".
func nodeID(kind string, id int64) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("0%d:%s%d", len(kind), kind, id)))
}
