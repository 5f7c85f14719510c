package descriptor

// RuleSpec is the id of the rule that spec is present (for a known kind)
// and an object. Each property of spec has its own id,
// "backstage/spec.<property>".
const RuleSpec = rulePrefix + "spec"

func init() {
	for _, k := range kindTable {
		for i := range k.fields {
			k.fields[i].rule = rulePrefix + "spec." + k.fields[i].key
			k.fields[i].path = Path{"spec", k.fields[i].key}
		}
	}
}

// checkSpec applies the JSON schema of the entity's kind to spec, then
// parses the entity references of its relation fields. A spec of an
// unknown kind need only be an object: checkKnownKind reports the kind.
func (c *checker) checkSpec() {
	var k *kindRules
	if kind, ok := c.root.Get("kind").Text(); ok {
		k = lookupKind(kind)
	}
	spec := c.root.Get("spec")
	p := Path{"spec"}
	if spec == nil {
		if k != nil {
			c.missing(RuleSpec, p, " for kind "+k.name)
		}
		return
	}
	if !c.object(RuleSpec, p, spec) || k == nil {
		return
	}
	for i := range k.fields {
		c.checkSpecField(spec, &k.fields[i], k.name)
	}
	if k.extra != nil {
		k.extra(c, spec)
	}
}

func (c *checker) checkSpecField(spec *Value, f *specField, kind string) {
	v := spec.Get(f.key)
	if v == nil {
		if f.required {
			c.missing(f.rule, f.path, " for kind "+kind)
		}
		return
	}
	if !c.shape(f, f.path, v) || !f.ref.on {
		return
	}
	if f.ref.warnOnly {
		c.sev = SeverityWarning
	}
	c.checkRefs(f, f.path, v)
	c.sev = ""
}

// shape checks v against the JSON Schema type of the field; it returns
// whether references in it can be read.
func (c *checker) shape(f *specField, p Path, v *Value) bool {
	switch f.shape {
	case shapeText:
		return c.textOK(v, true) || c.text(f.rule, p, v, true)
	case shapeTexts:
		return c.texts(f.rule, p, v)
	case shapeProfile:
		c.checkProfile(f.rule, p, v)
	case shapePresence:
		if c.text(f.rule, p, v, true) && v.Kind == String && v.Str != "required" && v.Str != "optional" {
			c.invalid(f.rule, p, v, `"required" or "optional"`)
		}
	}
	return true
}

// texts checks an array of non-empty strings.
func (c *checker) texts(rule string, p Path, v *Value) bool {
	if c.placeholder(v) || !c.list(rule, p, v) {
		return false
	}
	for i, it := range v.Items {
		if !c.textOK(it, true) {
			c.text(rule, p.Index(i), it, true)
		}
	}
	return true
}

// checkProfile checks the profile of a User or Group.
func (c *checker) checkProfile(rule string, p Path, v *Value) {
	if !c.object(rule, p, v) {
		return
	}
	for _, key := range [...]string{"displayName", "email", "picture"} {
		if s := v.Get(key); s != nil {
			c.text(rule, p.Key(key), s, true)
		}
	}
}

// checkMCPServer applies the schema of an API of type mcp-server: remotes,
// a non-empty array of {type, url}. Backstage's catalog-model declares it,
// but its catalog does not enforce it yet (it judges such an API by the
// plain API schema, definition included), so it is a warning.
func checkMCPServer(c *checker, spec *Value) {
	if t, _ := spec.Get("type").Text(); t != "mcp-server" {
		return
	}
	c.sev = SeverityWarning
	defer func() { c.sev = "" }()
	const rule = rulePrefix + "spec.remotes"
	p := Path{"spec", "remotes"}
	v := spec.Get("remotes")
	switch {
	case v == nil:
		c.missing(rule, p, " for an API of type mcp-server")
		return
	case !c.list(rule, p, v):
		return
	case len(v.Items) == 0:
		c.fail(rule, p, v, field(p)+" must list at least one remote of the MCP server")
	}
	for i, r := range v.Items {
		ip := p.Index(i)
		if !c.object(rule, ip, r) {
			continue
		}
		for _, key := range [...]string{"type", "url"} {
			if s := r.Get(key); s == nil {
				c.missing(rule, ip.Key(key), "")
			} else {
				c.text(rule, ip.Key(key), s, true)
			}
		}
	}
}
