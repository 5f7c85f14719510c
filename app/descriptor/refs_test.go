package descriptor

import (
	"slices"
	"testing"
)

func TestParseRef(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, defKind, defNS string
		want               Ref
		ok                 bool
	}{
		{"team-a", "Group", "", Ref{"Group", "default", "team-a"}, true},
		{"team-a", "Group", "ops", Ref{"Group", "ops", "team-a"}, true},
		{"user:jdoe", "Group", "ops", Ref{"user", "ops", "jdoe"}, true},
		{"user:default/jdoe", "Group", "ops", Ref{"user", "default", "jdoe"}, true},
		{"ns/x", "Group", "", Ref{"Group", "ns", "x"}, true},
		{"a:b:c", "Group", "", Ref{"a", "default", "b:c"}, true},
		{"ns/a:b", "Group", "", Ref{"Group", "ns", "a:b"}, true},
		{"a/b/c", "Group", "", Ref{"Group", "a", "b/c"}, true},
		{"k:a/b/c", "", "", Ref{"k", "a", "b/c"}, true},
		{"Group:Default/Team-A", "", "", Ref{"Group", "Default", "Team-A"}, true},
		{"a b", "Group", "", Ref{"Group", "default", "a b"}, true},
		{"component:x", "", "", Ref{"component", "default", "x"}, true},
		{"", "Group", "", Ref{}, false},
		{"x", "", "", Ref{}, false},
		{"ns/x", "", "", Ref{}, false},
		{":x", "Group", "", Ref{}, false},
		{"group:", "Group", "", Ref{}, false},
		{"a/", "Group", "", Ref{}, false},
		{"/x", "Group", "", Ref{}, false},
		{"group:/x", "Group", "", Ref{}, false},
		{"group:ns/", "Group", "", Ref{}, false},
	}
	for _, c := range cases {
		got, err := ParseRef(c.in, c.defKind, c.defNS)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseRef(%q, %q, %q) = %+v, %v; want %+v, ok=%v", c.in, c.defKind, c.defNS, got, err, c.want, c.ok)
		}
	}
}

func TestRefString(t *testing.T) {
	t.Parallel()
	if got := (Ref{"Component", "Default", "My-Service"}).String(); got != "component:default/my-service" {
		t.Errorf("String() = %q", got)
	}
}

func TestReferences(t *testing.T) {
	t.Parallel()
	src := comp("  namespace: ops\n", "  system: platform\n  dependsOn: [resource:db, broken]\n  providesApis: [api:x/y, z]\n  dependencyOf: {kind: component, name: up}\n")
	d := Parse([]byte(src), 0).Documents[0]
	var got []string
	for _, r := range References(d) {
		got = append(got, r.Field+" "+r.Path.String()+" "+r.Ref.String())
	}
	want := []string{
		"spec.owner spec.owner group:ops/team-a",
		"spec.system spec.system system:ops/platform",
		"spec.providesApis spec.providesApis[0] api:x/y",
		"spec.providesApis spec.providesApis[1] api:ops/z",
		"spec.dependsOn spec.dependsOn[0] resource:ops/db",
		"spec.dependencyOf spec.dependencyOf component:ops/up",
	}
	if !slices.Equal(got, want) {
		t.Errorf("References =\n%q\nwant\n%q", got, want)
	}
}

func TestReferencesByKind(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		entity(v1, "Group", "  type: team\n  parent: root\n  children: [a]\n  members: [jdoe]\n"):              {"group:default/root", "group:default/a", "user:default/jdoe"},
		entity(v1, "User", "  memberOf: [a, group:b/c]\n"):                                                     {"group:default/a", "group:b/c"},
		entity(v1, "System", "  owner: t\n  domain: d\n"):                                                      {"group:default/t", "domain:default/d"},
		entity(v1, "Domain", "  owner: user:t\n  subdomainOf: d\n"):                                            {"user:default/t", "domain:default/d"},
		entity(v1, "Resource", "  type: db\n  owner: t\n  dependencyOf: [component:c]\n"):                      {"group:default/t", "component:default/c"},
		entity(v1, "API", "  type: x\n  lifecycle: y\n  owner: t\n  definition: z\n"):                          {"group:default/t"},
		entity("scaffolder.backstage.io/v1beta3", "Template", "  type: x\n  owner: user:guest\n  steps: []\n"): {"user:default/guest"},
		entity(v1, "Location", "  target: ./a.yaml\n"):                                                         nil,
		entity("example.com/v1", "Widget", "  owner: t\n"):                                                     nil,
	}
	for src, want := range cases {
		var got []string
		for _, r := range References(Parse([]byte(src), 0).Documents[0]) {
			got = append(got, r.Ref.String())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s\nReferences = %q, want %q", src, got, want)
		}
	}
	if References(nil) != nil || References(&Document{}) != nil {
		t.Error("References of no document should be nil")
	}
}
