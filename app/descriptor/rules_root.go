package descriptor

import (
	"fmt"
	"strings"
)

// Rule ids of the envelope: the root of the entity, apiVersion and kind.
const (
	RuleRootField  = rulePrefix + "root"
	RuleAPIVersion = rulePrefix + "apiVersion"
	RuleKind       = rulePrefix + "kind"
)

const (
	expectAPIVersion = "an optional DNS subdomain and \"/\" followed by [a-zA-Z0-9], at most 63 characters (such as backstage.io/v1alpha1)"
	expectKind       = "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total"
)

// checkRoot applies Backstage's Entity envelope schema and
// NoForeignRootFieldsEntityPolicy: only the four known root fields, the
// required apiVersion and kind in their formats, and a kind and apiVersion
// pair that one of Backstage's kind processors recognizes.
func (c *checker) checkRoot() {
	for i := range c.root.Fields {
		f := &c.root.Fields[i]
		switch f.Key {
		case "apiVersion", "kind", "metadata", "spec":
		default:
			c.failKey(RuleRootField, Path{f.Key}, f, fmt.Sprintf(
				"unknown root field %q; an entity has only apiVersion, kind, metadata and spec (relations and status are written by the catalog, not by descriptor files)", f.Key))
		}
	}
	apiOK := c.envelopeField(RuleAPIVersion, "apiVersion", isAPIVersion, expectAPIVersion)
	kindOK := c.envelopeField(RuleKind, "kind", isKindName, expectKind)
	if apiOK && kindOK {
		c.checkKnownKind()
	}
}

// envelopeField checks a required string of the root in its format.
func (c *checker) envelopeField(rule, key string, valid func(string) bool, expected string) bool {
	v := c.root.Get(key)
	p := Path{key}
	switch {
	case v == nil:
		c.missing(rule, p, "")
		return false
	case !c.text(rule, p, v, true):
		return false
	case !valid(v.Str):
		c.invalid(rule, p, v, expected)
		return false
	}
	return true
}

// checkKnownKind reports a kind or apiVersion that no processor of
// Backstage's catalog recognizes, as Backstage's "No processor recognized
// the entity as valid" does.
func (c *checker) checkKnownKind() {
	kind := c.root.Get("kind")
	api := c.root.Get("apiVersion")
	k := lookupKind(kind.Str)
	if k == nil {
		msg := fmt.Sprintf("kind %q is not a kind Backstage knows; expected one of %s (no processor recognized the entity as valid)", kind.Str, kindList())
		if fold := lookupKindFold(kind.Str); fold != nil {
			msg = fmt.Sprintf("kind %q is not a kind Backstage knows; kinds are case-sensitive: did you mean %q? (no processor recognized the entity as valid)", kind.Str, fold.name)
		}
		c.fail(RuleKind, Path{"kind"}, kind, msg)
		return
	}
	if !k.hasVersion(api.Str) {
		c.fail(RuleAPIVersion, Path{"apiVersion"}, api, fmt.Sprintf(
			"apiVersion %q is not a version of kind %s; expected %s (no processor recognized the entity as valid)",
			api.Str, k.name, strings.Join(k.versions, " or ")))
	}
}
