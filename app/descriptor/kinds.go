package descriptor

import "strings"

// The apiVersions of Backstage's own kinds and of the scaffolder's Template.
const (
	APIVersionV1alpha1          = "backstage.io/v1alpha1"
	APIVersionV1beta1           = "backstage.io/v1beta1"
	APIVersionScaffolderV1beta3 = "scaffolder.backstage.io/v1beta3"
)

var backstageVersions = []string{APIVersionV1alpha1, APIVersionV1beta1}

// kindRules is what Backstage's JSON schema for one kind asks of spec, and
// the entity references its processor reads.
type kindRules struct {
	name     string
	versions []string
	fields   []specField
	extra    func(c *checker, spec *Value)
}

// specField is one property of spec: its JSON Schema shape, whether it is
// required, and whether it holds entity references.
type specField struct {
	key      string
	rule     string // set by init: backstage/spec.<key>
	path     Path   // set by init: spec.<key>
	required bool
	shape    shape
	ref      refRule
}

// shape is the JSON Schema type of a spec property.
type shape uint8

const (
	shapeText     shape = iota // string, minLength 1
	shapeTexts                 // array of strings, minLength 1
	shapeProfile               // User and Group profile object
	shapePresence              // "required" or "optional"
	shapeAny                   // no schema: any value
)

// refRule says a field holds entity references and which kind a reference
// without one defaults to ("" means the kind must be written).
type refRule struct {
	on          bool
	defaultKind string
	// warnOnly marks references that Backstage's catalog-model does not
	// validate (the scaffolder reads them later), so a bad one is a warning.
	warnOnly bool
}

func ref(kind string) refRule { return refRule{on: true, defaultKind: kind} }

// kindTable lists the kinds that Backstage's catalog recognizes: the
// catalog-model kinds and the scaffolder's Template.
var kindTable = []*kindRules{
	{name: "API", versions: backstageVersions, extra: checkMCPServer, fields: []specField{
		{key: "type", required: true}, {key: "lifecycle", required: true},
		{key: "owner", required: true, ref: ref("Group")}, {key: "system", ref: ref("System")},
		{key: "definition", required: true},
	}},
	{name: "Component", versions: backstageVersions, fields: []specField{
		{key: "type", required: true}, {key: "lifecycle", required: true},
		{key: "owner", required: true, ref: ref("Group")}, {key: "system", ref: ref("System")},
		{key: "subcomponentOf", ref: ref("Component")},
		{key: "providesApis", shape: shapeTexts, ref: ref("API")},
		{key: "consumesApis", shape: shapeTexts, ref: ref("API")},
		{key: "dependsOn", shape: shapeTexts, ref: ref("")},
		{key: "dependencyOf", shape: shapeAny, ref: ref("")},
	}},
	{name: "Domain", versions: backstageVersions, fields: []specField{
		{key: "owner", required: true, ref: ref("Group")}, {key: "subdomainOf", ref: ref("Domain")}, {key: "type"},
	}},
	{name: "Group", versions: backstageVersions, fields: []specField{
		{key: "type", required: true}, {key: "profile", shape: shapeProfile}, {key: "parent", ref: ref("Group")},
		{key: "children", required: true, shape: shapeTexts, ref: ref("Group")},
		{key: "members", shape: shapeTexts, ref: ref("User")},
	}},
	{name: "Location", versions: backstageVersions, fields: []specField{
		{key: "type"}, {key: "target"}, {key: "targets", shape: shapeTexts}, {key: "presence", shape: shapePresence},
	}},
	{name: "Resource", versions: backstageVersions, fields: []specField{
		{key: "type", required: true}, {key: "owner", required: true, ref: ref("Group")},
		{key: "dependsOn", shape: shapeTexts, ref: ref("")}, {key: "system", ref: ref("System")},
		{key: "dependencyOf", shape: shapeAny, ref: ref("")},
	}},
	{name: "System", versions: backstageVersions, fields: []specField{
		{key: "owner", required: true, ref: ref("Group")}, {key: "domain", ref: ref("Domain")}, {key: "type"},
	}},
	{name: "User", versions: backstageVersions, fields: []specField{
		{key: "profile", shape: shapeProfile}, {key: "memberOf", required: true, shape: shapeTexts, ref: ref("Group")},
	}},
	{name: "Template", versions: []string{APIVersionScaffolderV1beta3}, extra: checkTemplate, fields: []specField{
		{key: "type", required: true},
		{key: "owner", ref: refRule{on: true, defaultKind: "Group", warnOnly: true}},
		{key: "lifecycle"},
	}},
}

func lookupKind(name string) *kindRules {
	for _, k := range kindTable {
		if k.name == name {
			return k
		}
	}
	return nil
}

func lookupKindFold(name string) *kindRules {
	for _, k := range kindTable {
		if strings.EqualFold(k.name, name) {
			return k
		}
	}
	return nil
}

func (k *kindRules) hasVersion(v string) bool {
	for _, kv := range k.versions {
		if kv == v {
			return true
		}
	}
	return false
}

func kindList() string {
	names := make([]string, len(kindTable))
	for i, k := range kindTable {
		names[i] = k.name
	}
	return strings.Join(names, ", ")
}
