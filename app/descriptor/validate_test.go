package descriptor

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// comp is a valid Component; meta lines start at line 5, and spec lines
// after the three of spec (line 9 when meta is empty).
func comp(meta, spec string) string {
	return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n" + meta +
		"spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n" + spec
}

// entity is an entity of any kind; spec lines start at line 6.
func entity(api, kind, spec string) string {
	return "apiVersion: " + api + "\nkind: " + kind + "\nmetadata:\n  name: a\nspec:\n" + spec
}

const v1 = "backstage.io/v1alpha1"

// validateOne parses src (one document), validates it and renders its
// findings as "rule line:col", with "warning " before warnings.
func validateOne(t *testing.T, src string) ([]string, *Document) {
	t.Helper()
	f := Parse([]byte(src), 0)
	if len(f.Documents) != 1 {
		t.Fatalf("want one document, got %d (%v)", len(f.Documents), f.Findings)
	}
	d := f.Documents[0]
	Validate(d)
	var got []string
	for _, fd := range d.Findings {
		s := fmt.Sprintf("%s %d:%d", fd.Rule, fd.Line, fd.Column)
		if fd.Severity == SeverityWarning {
			s = "warning " + s
		}
		got = append(got, s)
		if fd.Message == "" || fd.Line < 1 || fd.Column < 1 {
			t.Errorf("finding without message or position: %+v", fd)
		}
	}
	return got, d
}

type ruleCase struct {
	name string
	src  string
	want []string
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, d := validateOne(t, c.src)
			if !slices.Equal(got, c.want) {
				t.Errorf("findings = %q, want %q\n%s", got, c.want, messages(d))
			}
		})
	}
}

func messages(d *Document) string {
	var b strings.Builder
	for _, f := range d.Findings {
		fmt.Fprintf(&b, "  %s %s: %s\n", f.Rule, f.Path, f.Message)
	}
	return b.String()
}

func TestRulesEnvelope(t *testing.T) {
	t.Parallel()
	runRuleCases(t, []ruleCase{
		{"valid", comp("", ""), nil},
		{"v1beta1", strings.Replace(comp("", ""), "v1alpha1", "v1beta1", 1), nil},
		{"relations", comp("", "relations: []\n"), []string{"backstage/root 9:1"}},
		{"status and foo", "status: {}\n" + comp("", "foo: 1\n"), []string{"backstage/root 1:1", "backstage/root 10:1"}},
		{"apiVersion missing", "kind: Component\nmetadata:\n  name: a\nspec: {type: a, lifecycle: b, owner: c}\n", []string{"backstage/apiVersion 1:1"}},
		{"apiVersion number", strings.Replace(comp("", ""), "backstage.io/v1alpha1", "1.0", 1), []string{"backstage/apiVersion 1:13"}},
		{"apiVersion empty", strings.Replace(comp("", ""), "backstage.io/v1alpha1", "''", 1), []string{"backstage/apiVersion 1:13"}},
		{"apiVersion format", strings.Replace(comp("", ""), "backstage.io/v1alpha1", "a/b/c", 1), []string{"backstage/apiVersion 1:13"}},
		{"apiVersion unknown for kind", strings.Replace(comp("", ""), "v1alpha1", "v2", 1), []string{"backstage/apiVersion 1:13"}},
		{"kind missing", "apiVersion: backstage.io/v1alpha1\nmetadata:\n  name: a\n", []string{"backstage/kind 1:1"}},
		{"kind format", strings.Replace(comp("", ""), "Component", "Com ponent", 1), []string{"backstage/kind 2:7"}},
		{"kind number", strings.Replace(comp("", ""), "Component", "7", 1), []string{"backstage/kind 2:7"}},
		{"kind unknown", strings.Replace(comp("", ""), "Component", "Service", 1), []string{"backstage/kind 2:7"}},
		{"kind case", strings.Replace(comp("", ""), "Component", "component", 1), []string{"backstage/kind 2:7"}},
		{"unknown kind with any spec", entity("example.com/v1", "Widget", "  x: 1\n"), []string{"backstage/kind 2:7"}},
	})
}

func TestRulesMetadata(t *testing.T) {
	t.Parallel()
	runRuleCases(t, []ruleCase{
		{"metadata missing", "apiVersion: backstage.io/v1alpha1\nkind: Component\nspec: {type: a, lifecycle: b, owner: c}\n", []string{"backstage/metadata 1:1"}},
		{"metadata not object", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: x\nspec: {type: a, lifecycle: b, owner: c}\n", []string{"backstage/metadata 3:11"}},
		{"name missing", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  title: x\nspec: {type: a, lifecycle: b, owner: c}\n", []string{"backstage/metadata.name 3:1"}},
		{"name invalid", strings.Replace(comp("", ""), "name: a", "name: invalid component", 1), []string{"backstage/metadata.name 4:9"}},
		{"name number", strings.Replace(comp("", ""), "name: a", "name: 123", 1), []string{"backstage/metadata.name 4:9"}},
		{"name date is a string", strings.Replace(comp("", ""), "name: a", "name: 2001-12-14", 1), nil},
		{"namespace", comp("  namespace: Prod\n", ""), []string{"backstage/metadata.namespace 5:14"}},
		{"namespace ok", comp("  namespace: prod-1\n", ""), nil},
		{"title empty", comp("  title: ''\n", ""), []string{"backstage/metadata.title 5:10"}},
		{"title blank ok", comp("  title: ' '\n", ""), nil},
		{"description number", comp("  description: 5\n", ""), []string{"backstage/metadata.description 5:16"}},
		{"description empty ok", comp("  description: ''\n", ""), nil},
		{"uid", comp("  uid: ''\n", ""), []string{"backstage/metadata.uid 5:8"}},
		{"etag", comp("  etag: true\n", ""), []string{"backstage/metadata.etag 5:9"}},
		{"labels ok", comp("  labels:\n    backstage.io/x: y\n    a: ''\n", ""), nil},
		{"label key", comp("  labels:\n    a/b/c: x\n", ""), []string{"backstage/metadata.labels 6:5"}},
		{"label value", comp("  labels:\n    a: a b\n", ""), []string{"backstage/metadata.labels 6:8"}},
		{"label value type", comp("  labels:\n    a: true\n", ""), []string{"backstage/metadata.labels 6:8"}},
		{"labels type", comp("  labels: [a]\n", ""), []string{"backstage/metadata.labels 5:11"}},
		{"annotations ok", comp("  annotations:\n    a.b/c: any text at all\n", ""), nil},
		{"annotation key", comp("  annotations:\n    a b: c\n", ""), []string{"backstage/metadata.annotations 6:5"}},
		{"annotation value type", comp("  annotations:\n    a: 1\n", ""), []string{"backstage/metadata.annotations 6:8"}},
		{"tags ok", comp("  tags: [java, c++, 'c#', a:b]\n", ""), nil},
		{"tags", comp("  tags: [ok, Java, '', 1]\n", ""), []string{"backstage/metadata.tags 5:14", "backstage/metadata.tags 5:20", "backstage/metadata.tags 5:24"}},
		{"tags type", comp("  tags: java\n", ""), []string{"backstage/metadata.tags 5:9"}},
		{"links ok", comp("  links:\n    - url: https://x.com\n      title: X\n      icon: i\n      type: t\n", ""), nil},
		{"link url", comp("  links:\n    - url: not a url\n", ""), []string{"backstage/metadata.links 6:12"}},
		{"link url missing", comp("  links:\n    - title: x\n", ""), []string{"backstage/metadata.links 6:7"}},
		{"link title blank", comp("  links:\n    - url: https://x.com\n      title: ' '\n", ""), []string{"backstage/metadata.links 7:14"}},
		{"link type empty", comp("  links:\n    - url: https://x.com\n      type: ''\n", ""), []string{"backstage/metadata.links 7:13"}},
		{"link not object", comp("  links: [x]\n", ""), []string{"backstage/metadata.links 5:11"}},
		{"links type", comp("  links: x\n", ""), []string{"backstage/metadata.links 5:10"}},
		{"all at once", comp("  namespace: A\n  tags: [X]\n", "relations: []\n"),
			[]string{"backstage/root 11:1", "backstage/metadata.namespace 5:14", "backstage/metadata.tags 6:10"}},
	})
}

func TestRulesSpecByKind(t *testing.T) {
	t.Parallel()
	runRuleCases(t, []ruleCase{
		{"spec missing", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n", []string{"backstage/spec 1:1"}},
		{"spec not object", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec: []\n", []string{"backstage/spec 5:7"}},
		{"component required", entity(v1, "Component", "  x: 1\n"), []string{"backstage/spec.type 5:1", "backstage/spec.lifecycle 5:1", "backstage/spec.owner 5:1"}},
		{"component types", entity(v1, "Component", "  type: 1\n  lifecycle: ''\n  owner: [a]\n"), []string{"backstage/spec.type 6:9", "backstage/spec.lifecycle 7:14", "backstage/spec.owner 8:10"}},
		{"component optional", comp("", "  system: 5\n  subcomponentOf: ''\n  providesApis: x\n  consumesApis: [1]\n  dependsOn: [component:x, '']\n"),
			[]string{"backstage/spec.system 9:11", "backstage/spec.subcomponentOf 10:19", "backstage/spec.providesApis 11:17", "backstage/spec.consumesApis 12:18", "backstage/spec.dependsOn 13:28"}},
		{"api", entity(v1, "API", "  type: openapi\n  lifecycle: production\n  owner: team\n"), []string{"backstage/spec.definition 5:1"}},
		{"api ok", entity(v1, "API", "  type: openapi\n  lifecycle: production\n  owner: team\n  definition: |\n    openapi: 3.0.0\n"), nil},
		{"api placeholder", entity(v1, "API", "  type: openapi\n  lifecycle: production\n  owner: team\n  definition:\n    $text: ./openapi.yaml\n"), nil},
		{"api definition object", entity(v1, "API", "  type: openapi\n  lifecycle: production\n  owner: team\n  definition: {openapi: 3.0.0}\n"), []string{"backstage/spec.definition 9:15"}},
		{"mcp-server without remotes", entity(v1, "API", "  type: mcp-server\n  lifecycle: production\n  owner: team\n  definition: x\n"), []string{"warning backstage/spec.remotes 5:1"}},
		{"mcp-server remotes", entity(v1, "API", "  type: mcp-server\n  lifecycle: production\n  owner: team\n  definition: x\n  remotes: [{type: sse}]\n"), []string{"warning backstage/spec.remotes 10:13"}},
		{"mcp-server ok", entity(v1, "API", "  type: mcp-server\n  lifecycle: production\n  owner: team\n  definition: x\n  remotes: [{type: sse, url: 'https://x'}]\n"), nil},
		{"resource", entity(v1, "Resource", "  type: db\n  dependsOn: x\n"), []string{"backstage/spec.owner 5:1", "backstage/spec.dependsOn 7:14"}},
		{"system", entity(v1, "System", "  owner: team\n  domain: 5\n  type: ''\n"), []string{"backstage/spec.domain 7:11", "backstage/spec.type 8:9"}},
		{"domain", entity(v1, "Domain", "  subdomainOf: ''\n"), []string{"backstage/spec.owner 5:1", "backstage/spec.subdomainOf 6:16"}},
		{"group", entity(v1, "Group", "  type: team\n  parent: 5\n  members: u\n  profile: {email: ''}\n"),
			[]string{"backstage/spec.profile 9:20", "backstage/spec.parent 7:11", "backstage/spec.children 5:1", "backstage/spec.members 8:12"}},
		{"group ok", entity(v1, "Group", "  type: team\n  children: []\n  profile: {displayName: X, email: x@y.z, picture: 'https://x/y.png'}\n"), nil},
		{"user", entity(v1, "User", "  profile: x\n"), []string{"backstage/spec.profile 6:12", "backstage/spec.memberOf 5:1"}},
		{"user ok", entity(v1, "User", "  memberOf: [team]\n"), nil},
		{"location", entity(v1, "Location", "  type: 5\n  target: ''\n  targets: [1]\n  presence: sometimes\n"),
			[]string{"backstage/spec.type 6:9", "backstage/spec.target 7:11", "backstage/spec.targets 8:13", "backstage/spec.presence 9:13"}},
		{"location ok", entity(v1, "Location", "  type: url\n  targets: [./a.yaml]\n  presence: optional\n"), nil},
	})
}

func TestRulesReferences(t *testing.T) {
	t.Parallel()
	runRuleCases(t, []ruleCase{
		{"owner forms", comp("", "  system: system:ns/s\n"), nil},
		{"owner empty kind", strings.Replace(comp("", ""), "owner: team-a", "owner: ':x'", 1), []string{"backstage/spec.owner 8:10"}},
		{"owner empty name", strings.Replace(comp("", ""), "owner: team-a", "owner: 'group:'", 1), []string{"backstage/spec.owner 8:10"}},
		{"owner empty namespace", strings.Replace(comp("", ""), "owner: team-a", "owner: /x", 1), []string{"backstage/spec.owner 8:10"}},
		{"dependsOn needs a kind", comp("", "  dependsOn: [component:x, y]\n"), []string{"backstage/spec.dependsOn 9:28"}},
		{"dependencyOf needs a kind", comp("", "  dependencyOf: y\n"), []string{"backstage/spec.dependencyOf 9:17"}},
		{"dependencyOf object", comp("", "  dependencyOf: {kind: component, name: x}\n"), nil},
		{"dependencyOf null", comp("", "  dependencyOf: null\n"), []string{"backstage/spec.dependencyOf 9:17"}},
		{"providesApis", comp("", "  providesApis: [api:x, 'ns/']\n"), []string{"backstage/spec.providesApis 9:25"}},
		{"subcomponentOf", comp("", "  subcomponentOf: 'c:'\n"), []string{"backstage/spec.subcomponentOf 9:19"}},
		{"group refs", entity(v1, "Group", "  type: team\n  parent: 'group:'\n  children: [':a']\n  members: ['user:']\n"),
			[]string{"backstage/spec.parent 7:11", "backstage/spec.children 8:14", "backstage/spec.members 9:13"}},
		{"memberOf", entity(v1, "User", "  memberOf: ['ns/']\n"), []string{"backstage/spec.memberOf 6:14"}},
		{"domain refs", entity(v1, "System", "  owner: team\n  domain: 'domain:'\n"), []string{"backstage/spec.domain 7:11"}},
		{"subdomainOf", entity(v1, "Domain", "  owner: team\n  subdomainOf: ':d'\n"), []string{"backstage/spec.subdomainOf 7:16"}},
		{"template owner warns", entity("scaffolder.backstage.io/v1beta3", "Template", "  type: service\n  owner: 'group:'\n  steps: []\n"),
			[]string{"warning backstage/spec.owner 7:10"}},
	})
}

func TestRulesTemplate(t *testing.T) {
	t.Parallel()
	tpl := func(spec string) string {
		return entity("scaffolder.backstage.io/v1beta3", "Template", "  type: service\n"+spec)
	}
	runRuleCases(t, []ruleCase{
		{"ok", tpl("  steps:\n    - id: a\n      action: fetch:template\n      if: true\n      input: {}\n"), nil},
		{"steps missing", tpl(""), []string{"backstage/spec.steps 5:1"}},
		{"type missing", entity("scaffolder.backstage.io/v1beta3", "Template", "  steps: []\n"), []string{"backstage/spec.type 5:1"}},
		{"wrong apiVersion", strings.Replace(tpl("  steps: []\n"), "scaffolder.backstage.io/v1beta3", "backstage.io/v1alpha1", 1), []string{"backstage/apiVersion 1:13"}},
		{"steps type", tpl("  steps: {}\n"), []string{"backstage/spec.steps 7:10"}},
		{"step action", tpl("  steps:\n    - id: a\n    - action: 5\n      if: 1\n"), []string{"backstage/spec.steps 8:7", "backstage/spec.steps 9:15", "backstage/spec.steps 10:11"}},
		{"step action empty ok", tpl("  steps:\n    - action: ''\n"), nil},
		{"step permissions", tpl("  steps:\n    - action: a\n      'backstage:permissions': {tags: [1]}\n"), []string{"backstage/spec.steps 9:40"}},
		{"parameters", tpl("  steps: []\n  parameters: x\n"), []string{"backstage/spec.parameters 8:15"}},
		{"parameters list", tpl("  steps: []\n  parameters:\n    - title: a\n      when: 5\n    - x\n"), []string{"backstage/spec.parameters 10:13", "backstage/spec.parameters 11:7"}},
		{"parameters object", tpl("  steps: []\n  parameters:\n    'backstage:permissions': {tags: x}\n"), []string{"backstage/spec.parameters 9:37"}},
		{"secrets", tpl("  steps: []\n  secrets: {schema: x}\n"), []string{"backstage/spec.secrets 8:21"}},
		{"presentation", tpl("  steps: []\n  presentation: {buttonLabels: {backButtonText: 1}}\n"), []string{"backstage/spec.presentation 8:49"}},
		{"recovery", tpl("  steps: []\n  EXPERIMENTAL_recovery: {EXPERIMENTAL_strategy: 1}\n"), []string{"backstage/spec.EXPERIMENTAL_recovery 8:50"}},
		{"formDecorators", tpl("  steps: []\n  formDecorators: [{id: 1}]\n"), []string{"backstage/spec.formDecorators 8:25"}},
		{"EXPERIMENTAL_formDecorators", tpl("  steps: []\n  EXPERIMENTAL_formDecorators: [x]\n"), []string{"backstage/spec.EXPERIMENTAL_formDecorators 8:33"}},
		{"output", tpl("  steps: []\n  output:\n    links: [{url: ''}]\n    text: [{content: 5}]\n    extra: 1\n"),
			[]string{"backstage/spec.output 9:19", "backstage/spec.output 10:22", "backstage/spec.output 11:12"}},
		{"lifecycle", tpl("  steps: []\n  lifecycle: 5\n"), []string{"backstage/spec.lifecycle 8:14"}},
	})
}

func TestRulesYAMLTypes(t *testing.T) {
	t.Parallel()
	runRuleCases(t, []ruleCase{
		{"yes on and dates are strings", comp("  title: yes\n  description: on\n  labels: {a: off, b: 2001-12-14}\n", ""), nil},
		{"null where string", strings.Replace(comp("", ""), "lifecycle: production", "lifecycle: ~", 1), []string{"backstage/spec.lifecycle 7:14"}},
		{"hex number where string", strings.Replace(comp("", ""), "owner: team-a", "owner: 0x10", 1), []string{"backstage/spec.owner 8:10"}},
		{"tagged string", strings.Replace(comp("", ""), "owner: team-a", "owner: !!str 16", 1), nil},
		{"merge key is a plain key", "x: 1\n<<: {a: 1}\n" + comp("", ""), []string{"backstage/root 1:1", "backstage/root 2:1"}},
		{"alias", comp("  title: &t x\n", "  system: *t\n"), nil},
		{"timestamp tag is not a string", comp("  description: !!timestamp 2001-12-14\n", ""), []string{"backstage/metadata.description 5:16"}},
		{"non-specific tag is a string", comp("  description: ! 12\n", ""), nil},
	})
}

func TestYAML11DirectiveRefused(t *testing.T) {
	t.Parallel()
	f := Parse([]byte("%YAML 1.1\n---\n"+comp("", "")+"---\n"+comp("", "")), 0)
	if len(f.Documents) != 2 {
		t.Fatalf("documents = %d", len(f.Documents))
	}
	for _, d := range f.Documents {
		if d.Valid() || d.Findings[0].Rule != RuleYAMLVersion {
			t.Errorf("doc %d: %v, want %s (the version carries over, as in Backstage's parser)", d.Index, d.Findings, RuleYAMLVersion)
		}
	}
	f = Parse([]byte("%YAML 1.2\n---\n"+comp("", "")), 0)
	if len(f.Documents) != 1 || !f.Documents[0].Valid() {
		t.Errorf("%%YAML 1.2: %+v", f.Documents)
	}
}

func TestFindingsCarryPath(t *testing.T) {
	t.Parallel()
	_, d := validateOne(t, comp("  annotations:\n    a b/c: x\n  tags: [ok, X]\n", ""))
	want := []string{`metadata.annotations["a b/c"]`, "metadata.tags[1]"}
	var got []string
	for _, f := range d.Findings {
		got = append(got, f.Path)
	}
	if !slices.Equal(got, want) {
		t.Errorf("paths = %q, want %q", got, want)
	}
	if !strings.Contains(d.Findings[1].Message, `but found "X"`) {
		t.Errorf("message %q does not say what was found", d.Findings[1].Message)
	}
}

func TestValidateIgnoresDocumentsWithoutRoot(t *testing.T) {
	t.Parallel()
	Validate(nil)
	d := &Document{}
	Validate(d)
	if len(d.Findings) != 0 {
		t.Errorf("findings on an empty document: %v", d.Findings)
	}
}
