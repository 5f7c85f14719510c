package catalog

import (
	"context"
	"strings"
	"testing"
)

func TestLogAndDiff(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	ctx := context.Background()
	r1 := mustSync(t, s, source("acme/shop", sha('a'), map[string]string{"cart.yaml": component("cart", "team-a"), "pay.yaml": component("pay", "team-a")}))
	mustSync(t, s, source("acme/other", sha('b'), map[string]string{"x.yaml": component("x", "team-a")}))
	r3 := mustSync(t, s, source("acme/shop", sha('c'), map[string]string{"cart.yaml": component("cart", "team-b")}))
	mustSync(t, s, source("acme/shop", sha('d'), map[string]string{}))

	log, err := Log(ctx, dir, ref("Component", "CART"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Change+" "+e.Subject)
		if len(e.Commit) != 40 || e.Date.IsZero() {
			t.Errorf("entry %+v", e)
		}
	}
	want := "- sync acme/shop@ddddddd: +0 ~0 -1|~ sync acme/shop@ccccccc: +0 ~1 -1|+ sync acme/shop@aaaaaaa: +2 ~0 -0"
	if strings.Join(got, "|") != want {
		t.Errorf("log = %q, want %q", strings.Join(got, "|"), want)
	}
	if log, err := Log(ctx, dir, ref("Component", "never")); err != nil || len(log) != 0 {
		t.Errorf("log of an unknown entity = %v, %v", log, err)
	}

	changes, err := Diff(ctx, dir, r1.Commit, r3.Commit)
	if err != nil {
		t.Fatal(err)
	}
	var sum []string
	for _, c := range changes {
		sum = append(sum, c.Change+c.Entity)
	}
	if strings.Join(sum, " ") != "~component:default/cart -component:default/pay +component:default/x" {
		t.Errorf("diff = %q", sum)
	}
	if p := changes[0].Patch; !strings.Contains(p, "--- a/catalog/default/component/cart.yaml") || !strings.Contains(p, "-  owner: team-a\n+  owner: team-b\n") {
		t.Errorf("patch:\n%s", p)
	}
	if _, err := Diff(ctx, dir, "nope", "main"); err == nil {
		t.Error("Diff from an unknown revision: no error")
	}
}
