package descriptor

import "fmt"

// Rule ids of metadata, one per field.
const (
	RuleMetadata    = rulePrefix + "metadata"
	RuleName        = rulePrefix + "metadata.name"
	RuleNamespace   = rulePrefix + "metadata.namespace"
	RuleTitle       = rulePrefix + "metadata.title"
	RuleDescription = rulePrefix + "metadata.description"
	RuleUID         = rulePrefix + "metadata.uid"
	RuleEtag        = rulePrefix + "metadata.etag"
	RuleLabels      = rulePrefix + "metadata.labels"
	RuleAnnotations = rulePrefix + "metadata.annotations"
	RuleTags        = rulePrefix + "metadata.tags"
	RuleLinks       = rulePrefix + "metadata.links"
)

// Backstage's own wording of what each format expects.
const (
	expectName      = "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total"
	expectNamespace = "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total"
	expectKey       = "an optional DNS subdomain and \"/\" followed by sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters"
	expectLabel     = "an empty string or " + expectName
	expectTag       = "a string that is sequences of [a-z0-9:+#] separated by [-], at most 63 characters in total"
	expectURL       = "a string that is a valid url"
	expectNonBlank  = "a non empty string"
)

// checkMetadata applies Backstage's EntityMeta schema and
// FieldFormatEntityPolicy.
func (c *checker) checkMetadata() {
	m := c.root.Get("metadata")
	p := Path{"metadata"}
	if m == nil {
		c.missing(RuleMetadata, p, "")
		return
	}
	if !c.object(RuleMetadata, p, m) {
		return
	}
	if m.Get("name") == nil {
		c.missing(RuleName, Path{"metadata", "name"}, "")
	}
	c.metaText(m, RuleName, "name", true, isObjectName, expectName)
	c.metaText(m, RuleNamespace, "namespace", true, isDNSLabel, expectNamespace)
	c.metaText(m, RuleTitle, "title", true, nil, "")
	c.metaText(m, RuleDescription, "description", false, nil, "")
	c.metaText(m, RuleUID, "uid", true, nil, "")
	c.metaText(m, RuleEtag, "etag", true, nil, "")
	c.checkKeyValues(m, RuleLabels, "labels", true)
	c.checkKeyValues(m, RuleAnnotations, "annotations", false)
	c.checkTags(m)
	c.checkLinks(m)
}

// metaText checks an optional string of metadata and, when valid is set,
// its format.
func (c *checker) metaText(m *Value, rule, key string, nonEmpty bool, valid func(string) bool, expected string) {
	v := m.Get(key)
	if v == nil {
		return
	}
	switch {
	case !c.textOK(v, nonEmpty):
		c.text(rule, Path{"metadata", key}, v, nonEmpty)
	case valid != nil && v.Kind == String && !valid(v.Str):
		c.invalid(rule, Path{"metadata", key}, v, expected)
	}
}

// checkKeyValues checks labels or annotations: an object whose keys are
// qualified names and whose values are strings (for labels, names too).
func (c *checker) checkKeyValues(m *Value, rule, key string, labels bool) {
	v := m.Get(key)
	if v == nil || !c.object(rule, Path{"metadata", key}, v) {
		return
	}
	for i := range v.Fields {
		f := &v.Fields[i]
		if !isQualifiedKey(f.Key) {
			c.failKey(rule, Path{"metadata", key, f.Key}, f, fmt.Sprintf(
				"%s key %q is not valid; expected %s", key[:len(key)-1], f.Key, expectKey))
		}
		switch fv := f.Value; {
		case !c.textOK(fv, false):
			c.text(rule, Path{"metadata", key, f.Key}, fv, false)
		case labels && fv.Kind == String && !isLabelValue(fv.Str):
			c.invalid(rule, Path{"metadata", key, f.Key}, fv, expectLabel)
		}
	}
}

func (c *checker) checkTags(m *Value) {
	v := m.Get("tags")
	if v == nil || !c.list(RuleTags, Path{"metadata", "tags"}, v) {
		return
	}
	for i, t := range v.Items {
		switch {
		case !c.textOK(t, true):
			c.text(RuleTags, Path{"metadata", "tags", i}, t, true)
		case t.Kind == String && !isTag(t.Str):
			c.invalid(RuleTags, Path{"metadata", "tags", i}, t, expectTag)
		}
	}
}

func (c *checker) checkLinks(m *Value) {
	v := m.Get("links")
	if v == nil || !c.list(RuleLinks, Path{"metadata", "links"}, v) {
		return
	}
	for i, l := range v.Items {
		p := Path{"metadata", "links", i}
		if !c.object(RuleLinks, p, l) {
			continue
		}
		c.checkLink(p, l)
	}
}

// checkLink checks one link: a url that parses, and non-blank title and
// icon when present.
func (c *checker) checkLink(p Path, l *Value) {
	u := l.Get("url")
	switch {
	case u == nil:
		c.missing(RuleLinks, p.Key("url"), "")
	case c.text(RuleLinks, p.Key("url"), u, true) && u.Kind == String && !isURL(u.Str):
		c.invalid(RuleLinks, p.Key("url"), u, expectURL)
	}
	for _, key := range [...]string{"title", "icon"} {
		if v := l.Get(key); v != nil && c.text(RuleLinks, p.Key(key), v, true) && v.Kind == String && isBlank(v.Str) {
			c.invalid(RuleLinks, p.Key(key), v, expectNonBlank)
		}
	}
	if v := l.Get("type"); v != nil {
		c.text(RuleLinks, p.Key("type"), v, true)
	}
}
