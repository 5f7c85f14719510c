package gh

import (
	"context"
	"net/http"
	"testing"

	"github.com/portico-dev/portico/app/githubtest"
)

// TestContentsTokenReachesOneRepository mints a token narrowed to one
// repository on the fake GitHub, which enforces the narrowing: it reads
// that repository, not another, and is cached.
func TestContentsTokenReachesOneRepository(t *testing.T) {
	t.Parallel()
	fake := githubtest.New(t)
	for _, r := range []string{"catalog", "other"} {
		if err := fake.CreateRepo("acme", r, "main"); err != nil {
			t.Fatal(err)
		}
	}
	app, err := fake.CreateApp(githubtest.AppOptions{})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := fake.CreateInstallation(app.ID, "acme")
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewApps(app.ID, app.PrivateKeyPEM, fake.URL(), WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.ContentsToken(context.Background(), inst, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := a.ContentsToken(context.Background(), inst, "catalog"); again != tok {
		t.Error("the token was not cached")
	}
	status := func(repo string) int {
		req, _ := http.NewRequest("GET", fake.URL()+"/repos/acme/"+repo, nil)
		req.Header.Set("Authorization", "token "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("catalog"); got != 200 {
		t.Errorf("the token reads its repository: %d", got)
	}
	if got := status("other"); got != 404 {
		t.Errorf("the token reads another repository: %d, want 404", got)
	}
	if _, err := a.ContentsToken(context.Background(), inst, "missing"); err == nil {
		t.Error("a token for a repository outside the installation")
	}
}
