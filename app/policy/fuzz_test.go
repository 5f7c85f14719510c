package policy

import (
	"context"
	"strings"
	"testing"
	"time"
)

// FuzzNew feeds New policy sources as a platform repository may hold
// them: loading and evaluating must never panic, and a bundle that loads
// never reaches a refused built-in (the capabilities leave them out, so
// a call that slipped past the check would fail to compile).
func FuzzNew(f *testing.F) {
	for _, seed := range []string{
		"package portico.a\n\ndeny contains \"m\" if input.kind == \"Component\"\n",
		"package portico.a\n\nwarn contains x if {\n\tx := http.send({\"method\": \"GET\", \"url\": \"http://10.0.0.1/\"}).body\n}\n",
		"package portico.a\n\nf(x) := net.lookup_ip_addr(x)\n\ndeny contains y if y := f(\"a\")\n",
		"package portico.a\n\ntest_x if { true with opa.runtime as {} }\n",
		"package portico\n\nseverity := {\"a\": \"error\"}\n",
		"package portico.a\n\ndeny contains [x | some x in numbers.range(1, 10)][0] if input.kind\n",
		"package portico.a\n\nwarn contains {\"msg\": \"m\", \"path\": [\"spec\", 1]}\n",
	} {
		f.Add(seed)
	}
	doc := "kind: Component\nmetadata:\n  name: x\nspec:\n  owner: a\n  items: [1, 2]\n"
	f.Fuzz(func(t *testing.T, src string) {
		e, err := New(context.Background(), bundle("f.rego", src), WithEvalTimeout(50*time.Millisecond))
		if err != nil {
			if err.Error() == "" {
				t.Error("an error without a message")
			}
			return
		}
		for name := range refusedBuiltins {
			if strings.Contains(src, name+"(") && !strings.Contains(src, "#") && !strings.Contains(src, `"`+name) && !strings.Contains(src, "`") {
				t.Errorf("a bundle calling %s loaded", name)
			}
		}
		_, _ = e.Eval(context.Background(), parseOne(t, doc))
	})
}
