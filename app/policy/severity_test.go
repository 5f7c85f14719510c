package policy

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/policies"
)

// noSystem is a production component without spec.system or tags: the
// default bundle warns portico/production-system and
// portico/component-tags.
var noSystem = edit("  system: checkout\n", "")

func withoutTags(src string) string { return strings.Replace(src, "  tags: [go]\n", "", 1) }

// An organisation raises default rules to errors, or turns them off, in
// the configuration or in Rego; the configuration has the last word.
func TestSeverityOverrides(t *testing.T) {
	t.Parallel()
	raise := "package portico\n\nseverity := {\"portico/production-system\": \"error\", \"portico/component-tags\": \"off\"}\n"
	withDefaults := func(files ...string) map[string]string {
		out := map[string]string{}
		entries, _ := policies.FS.ReadDir(".")
		for _, e := range entries {
			b, _ := policies.FS.ReadFile(e.Name())
			out[e.Name()] = string(b)
		}
		for i := 0; i+1 < len(files); i += 2 {
			out[files[i]] = files[i+1]
		}
		return out
	}
	cases := []struct {
		name  string
		files map[string]string
		opts  []Option
		want  []descriptor.Finding
	}{
		{"defaults warn", withDefaults(), nil, []descriptor.Finding{
			warn("portico/component-tags", "metadata.tags", 3, 1),
			warn("portico/production-system", "spec.system", 11, 1),
		}},
		{"configuration", withDefaults(), []Option{WithSeverity(map[string]string{"portico/production-system": "error", "portico/component-tags": "off"})},
			[]descriptor.Finding{deny("portico/production-system", "spec.system", 11, 1)}},
		{"rego table", withDefaults("severity.rego", raise), nil,
			[]descriptor.Finding{deny("portico/production-system", "spec.system", 11, 1)}},
		{"configuration over rego", withDefaults("severity.rego", raise), []Option{WithSeverity(map[string]string{"portico/production-system": "warning"})},
			[]descriptor.Finding{warn("portico/production-system", "spec.system", 11, 1)}},
		{"org policy that denies", withDefaults("acme.rego", "package portico.acme\n\nimport data.portico.lifecycle\n\ndeny contains f if {\n\tsome f in lifecycle.warn\n\tf.rule == \"portico/production-system\"\n}\n"), nil,
			[]descriptor.Finding{
				warn("portico/component-tags", "metadata.tags", 3, 1),
				deny("portico/production-system", "spec.system", 11, 1),
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var files []string
			for k, v := range c.files {
				files = append(files, k, v)
			}
			e, err := New(context.Background(), bundle(files...), c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Eval(context.Background(), parseOne(t, withoutTags(noSystem)))
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].Message = ""
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("findings:\n%s", diffFindings(got, c.want))
			}
		})
	}
}

func TestSeverityTableErrors(t *testing.T) {
	t.Parallel()
	policy := "package portico.a\n\nwarn contains {\"msg\": \"m\", \"rule\": \"a/b\"} if input.kind\n"
	cases := []struct {
		name, table string
		opts        []Option
		want        string
	}{
		{"bad configuration value", "", []Option{WithSeverity(map[string]string{"a/b": "fatal"})}, `severity of "a/b": severity "fatal" is not error, warning or off`},
		{"bad rego value", "package portico\n\nseverity := {\"a/b\": \"high\"}\n", nil, `s.rego:3: data.portico.severity["a/b"]: severity "high"`},
		{"not an object", "package portico\n\nseverity := [\"a/b\"]\n", nil, "s.rego:3: data.portico.severity must be an object"},
		{"depends on input", "package portico\n\nseverity := {\"a/b\": \"error\"} if input.kind\n", nil, "s.rego:3: data.portico.severity is undefined without input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			files := []string{"a.rego", policy}
			if c.table != "" {
				files = append(files, "s.rego", c.table)
			}
			_, err := New(context.Background(), bundle(files...), c.opts...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// Backstage's rules run first; a policy finding at or under the path of
// one of their errors tells the same problem twice and is left out.
func TestPolicyFindingsAfterBackstageErrors(t *testing.T) {
	t.Parallel()
	src := `package portico.org

deny contains {"rule": "org/owner", "path": "spec.owner", "msg": "name an owner"} if not input.spec.owner

warn contains {"rule": "org/system", "path": "spec.system", "msg": "name a system"} if not input.spec.system

warn contains {"rule": "org/title", "path": "metadata.title", "msg": "add a title"} if not input.metadata.title

warn contains {"rule": "org/whole", "msg": "about the whole document"}
`
	e, err := New(context.Background(), bundle("org.rego", src))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, doc string
		want      []string
	}{
		{"owner missing", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n  lifecycle: production\n",
			[]string{"org/whole", "org/title", "org/system"}},
		{"spec not a mapping", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec: 42\n",
			[]string{"org/whole", "org/title"}},
		{"valid", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  title: X\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n  system: s\n",
			[]string{"org/whole"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := parseOne(t, c.doc)
			descriptor.Validate(d)
			got, err := e.Eval(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range got {
				rules = append(rules, f.Rule)
			}
			if !reflect.DeepEqual(rules, c.want) {
				t.Errorf("policy findings %v, want %v (Backstage's: %+v)", rules, c.want, d.Findings)
			}
		})
	}
}
