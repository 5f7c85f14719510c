package policy

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// Each case uses a refused built-in in another position; the error must
// name the file and line of the use, and the built-in.
func TestRefusedBuiltinsAtLoad(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src, want string
	}{
		{"http.send in an assignment", "package portico.a\n\ndeny contains r.body if {\n\tr := http.send({\"method\": \"GET\", \"url\": \"http://10.0.0.1/\"})\n}\n",
			"a.rego:4: http.send is not allowed"},
		{"http.send as an expression", "package portico.a\n\ndeny contains \"m\" if {\n\thttp.send({\"method\": \"GET\", \"url\": input.x}, r)\n\tr.status_code == 200\n}\n",
			"a.rego:4: http.send is not allowed"},
		{"in a comprehension", "package portico.a\n\nwarn contains x if {\n\tx := [ip |\n\t\tip := net.lookup_ip_addr(\"internal.example\")\n\t][0]\n}\n",
			"a.rego:5: net.lookup_ip_addr is not allowed"},
		{"in a function", "package portico.a\n\nenv(k) := opa.runtime().env[k]\n\ndeny contains env(\"PORTICO_WEBHOOK_SECRET\")\n",
			"a.rego:3: opa.runtime is not allowed"},
		{"schema with remote refs", "package portico.a\n\nwarn contains \"m\" if {\n\tnot json.match_schema(input, {\"$ref\": \"file:///etc/passwd\"})[0]\n}\n",
			"a.rego:4: json.match_schema is not allowed"},
		{"in a library package", "package lib\n\nget(u) := http.send({\"method\": \"GET\", \"url\": u}).body\n",
			"a.rego:3: http.send is not allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(context.Background(), bundle("a.rego", c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "policy.allow_builtins") {
				t.Errorf("New error = %v, want one containing %q and how to allow it", err, c.want)
			}
		})
	}
}

// Tests may not reach outside either: a test file is compiled into the
// same sandbox, and `with http.send as ...` names the built-in too.
func TestRefusedBuiltinsInTests(t *testing.T) {
	t.Parallel()
	fsys := bundle(
		"a.rego", "package portico.a\n\ndeny contains \"m\" if input.kind == \"Component\"\n",
		"a_test.rego", "package portico.a_test\n\nmock(_) := {}\n\ntest_x if {\n\ttrue with http.send as mock\n}\n",
	)
	var out bytes.Buffer
	_, _, err := RunTests(context.Background(), fsys, &out)
	if err == nil || !strings.Contains(err.Error(), "a_test.rego:6: http.send is not allowed") {
		t.Errorf("RunTests error = %v, want the use at a_test.rego:6", err)
	}
}

func TestAllowedBuiltins(t *testing.T) {
	t.Parallel()
	src := "package portico.a\n\ndeny contains \"m\" if {\n\tinput.x\n\thttp.send({\"method\": \"GET\", \"url\": \"http://127.0.0.1:1/\"}).status_code == 200\n}\n"
	if _, err := New(context.Background(), bundle("a.rego", src), WithAllowedBuiltins("http.send")); err != nil {
		t.Errorf("New with http.send allowed: %v", err)
	}
	_, err := New(context.Background(), bundle("a.rego", src), WithAllowedBuiltins("http.sned"))
	if err == nil || !strings.Contains(err.Error(), `"http.sned"`) {
		t.Errorf("New with a misspelt built-in: %v, want an error naming it", err)
	}
}

// Non-deterministic built-ins that stay inside the process are allowed.
func TestInProcessBuiltinsAllowed(t *testing.T) {
	t.Parallel()
	src := "package portico.a\n\nwarn contains sprintf(\"%v %v %v\", [time.now_ns() > 0, rand.intn(\"x\", 10) < 10, count(uuid.rfc4122(\"x\"))]) if input.kind\n"
	e, err := New(context.Background(), bundle("a.rego", src))
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Eval(context.Background(), parseOne(t, "kind: Component\n"))
	if err != nil || len(got) != 1 || got[0].Message != "true true 36" {
		t.Errorf("Eval = %+v, %v", got, err)
	}
}

func TestRefusedBuiltinsList(t *testing.T) {
	t.Parallel()
	want := []string{"http.send", "json.match_schema", "json.verify_schema", "net.lookup_ip_addr", "opa.runtime"}
	if got := RefusedBuiltins(); !slices.Equal(got, want) {
		t.Errorf("RefusedBuiltins() = %v, want %v", got, want)
	}
}

// loopPolicy iterates 8e9 times without allocating as it goes: only the
// timeout stops it.
const loopPolicy = `package portico.slow

deny contains "never" if {
	input.kind == "Component"
	some i in numbers.range(1, 2000)
	some j in numbers.range(1, 2000)
	some k in numbers.range(1, 2000)
	i + j + k < 0
}
`

func TestEvalTimeout(t *testing.T) {
	t.Parallel()
	e, err := New(context.Background(), bundle("slow.rego", loopPolicy), WithEvalTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Eval(context.Background(), parseOne(t, "kind: Component\n"))
	if err == nil || !strings.Contains(err.Error(), "longer than 50ms") || !strings.Contains(err.Error(), "policy.eval_timeout") {
		t.Errorf("Eval error = %v, want the timeout named", err)
	}
	// A document the loop skips is unaffected.
	if got, err := e.Eval(context.Background(), parseOne(t, "kind: API\n")); err != nil || got != nil {
		t.Errorf("Eval(API) = %v, %v", got, err)
	}
}

func TestEvalTimeoutDefault(t *testing.T) {
	t.Parallel()
	e, err := New(context.Background(), bundle("a.rego", "package portico.a\n\ndeny contains \"m\" if false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e.timeout != DefaultEvalTimeout {
		t.Errorf("timeout = %s, want %s", e.timeout, DefaultEvalTimeout)
	}
}

func TestNoPolicyFiles(t *testing.T) {
	t.Parallel()
	for name, fsys := range map[string]map[string]string{
		"empty":      {},
		"no rego":    {"README.md": "# policies\n", "sub/x.yaml": "a: 1\n"},
		"tests only": {"a_test.rego": "package portico.a_test\n\ntest_x if true\n"},
	} {
		files := []string{}
		for k, v := range fsys {
			files = append(files, k, v)
		}
		if _, err := New(context.Background(), bundle(files...)); !errors.Is(err, ErrNoPolicies) {
			t.Errorf("%s: New error = %v, want ErrNoPolicies", name, err)
		}
	}
	var out bytes.Buffer
	if _, _, err := RunTests(context.Background(), bundle("README.md", "x"), &out); !errors.Is(err, ErrNoPolicies) {
		t.Errorf("RunTests error = %v, want ErrNoPolicies", err)
	}
}
