package githubtest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

func TestComments(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	number, err := f.srv.OpenIssue("octo-org", "hello", "workspaces", "")
	must(t, err)
	human, err := f.srv.Comment("octo-org", "hello", number, "dev", "/workspace create dev")
	must(t, err)
	created := f.hooks.find("issue_comment", "created")
	if len(created) != 1 {
		t.Fatalf("issue_comment.created deliveries = %d", len(created))
	}
	c := created[0].payload["comment"].(map[string]any)
	if c["body"] != "/workspace create dev" || c["user"].(map[string]any)["login"] != "dev" || created[0].payload["issue"].(map[string]any)["number"] != float64(number) {
		t.Errorf("payload comment = %v", c)
	}
	reaction, resp, err := f.client.Reactions.CreateIssueCommentReaction(ctx, "octo-org", "hello", human.ID, "eyes")
	must(t, err)
	if resp.StatusCode != http.StatusCreated || reaction.GetContent() != "eyes" {
		t.Errorf("reaction = %d %s", resp.StatusCode, reaction.GetContent())
	}
	if _, resp, _ := f.client.Reactions.CreateIssueCommentReaction(ctx, "octo-org", "hello", human.ID, "eyes"); resp.StatusCode != http.StatusOK {
		t.Errorf("same reaction again: %d, want 200", resp.StatusCode)
	}
	reply, _, err := f.client.Issues.CreateComment(ctx, "octo-org", "hello", number, &github.IssueComment{Body: github.String("on it")})
	must(t, err)
	if reply.GetUser().GetLogin() != f.app.Slug+"[bot]" || reply.GetUser().GetType() != "Bot" {
		t.Errorf("reply by %s (%s)", reply.GetUser().GetLogin(), reply.GetUser().GetType())
	}
	f.srv.WaitDeliveries()
	if got := f.hooks.find("issue_comment", "created"); len(got) != 2 {
		t.Errorf("the App's own comment is delivered too, as on GitHub: %d deliveries", len(got))
	}
	list, _, err := f.client.Issues.ListComments(ctx, "octo-org", "hello", number, nil)
	must(t, err)
	if len(list) != 2 || list[0].GetID() != human.ID {
		t.Errorf("listed %d comments", len(list))
	}
	state := f.srv.Comments("octo-org", "hello", number)
	if len(state) != 2 || len(state[0].Reactions) != 1 || state[0].Reactions[0] != "eyes" {
		t.Errorf("comments = %+v", state)
	}
}

func TestCommentLimits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	number, err := f.srv.OpenIssue("octo-org", "hello", "x", "")
	must(t, err)
	_, _, err = f.client.Issues.CreateComment(ctx, "octo-org", "hello", number, &github.IssueComment{Body: github.String(strings.Repeat("x", maxCommentChars+1))})
	if status(err) != http.StatusUnprocessableEntity {
		t.Errorf("comment too long: %v", err)
	}
	_, _, err = f.client.Issues.CreateComment(ctx, "octo-org", "hello", 42, &github.IssueComment{Body: github.String("x")})
	if status(err) != http.StatusNotFound {
		t.Errorf("comment on a missing issue: %v", err)
	}
	if _, err := f.srv.Comment("octo-org", "hello", 42, "dev", "x"); err == nil {
		t.Error("Comment on a missing issue succeeded")
	}
}
