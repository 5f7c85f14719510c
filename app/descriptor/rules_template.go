package descriptor

import "fmt"

// prop is one optional property of an object in the Template schema, with
// the check its value gets.
type prop struct {
	key   string
	check func(c *checker, rule string, p Path, v *Value)
}

func anyString(c *checker, rule string, p Path, v *Value) { c.text(rule, p, v, false) }
func nonEmpty(c *checker, rule string, p Path, v *Value)  { c.text(rule, p, v, true) }
func anyObject(c *checker, rule string, p Path, v *Value) { c.object(rule, p, v) }
func condition(c *checker, rule string, p Path, v *Value) { c.stringOrBool(rule, p, v) }

// permissions checks `backstage:permissions`: an object whose tags are an
// array of strings.
func permissions(c *checker, rule string, p Path, v *Value) {
	if !c.object(rule, p, v) {
		return
	}
	if tags := v.Get("tags"); tags != nil && c.list(rule, p.Key("tags"), tags) {
		for i, t := range tags.Items {
			c.text(rule, p.Key("tags").Index(i), t, false)
		}
	}
}

// props checks the present properties of the object v.
func (c *checker) props(rule string, p Path, v *Value, props []prop) {
	for _, pr := range props {
		if pv := v.Get(pr.key); pv != nil {
			pr.check(c, rule, p.Key(pr.key), pv)
		}
	}
}

// objectOf returns a check that v is an object with the given properties.
func objectOf(props []prop) func(*checker, string, Path, *Value) {
	return func(c *checker, rule string, p Path, v *Value) {
		if c.object(rule, p, v) {
			c.props(rule, p, v, props)
		}
	}
}

// listOf returns a check that v is an array whose items pass item.
func listOf(item func(*checker, string, Path, *Value)) func(*checker, string, Path, *Value) {
	return func(c *checker, rule string, p Path, v *Value) {
		if c.list(rule, p, v) {
			for i, it := range v.Items {
				item(c, rule, p.Index(i), it)
			}
		}
	}
}

// templateProps is the scaffolder's Template v1beta3 schema for spec, but
// for type, owner and lifecycle (in kindTable) and steps (checkSteps).
var templateProps = []prop{
	{"parameters", checkParameters},
	{"secrets", objectOf([]prop{{"schema", anyObject}})},
	{"presentation", objectOf([]prop{{"buttonLabels", objectOf([]prop{
		{"backButtonText", anyString}, {"createButtonText", anyString}, {"reviewButtonText", anyString},
	})}})},
	{"EXPERIMENTAL_recovery", objectOf([]prop{{"EXPERIMENTAL_strategy", anyString}})},
	{"formDecorators", listOf(objectOf(decoratorProps))},
	{"EXPERIMENTAL_formDecorators", listOf(objectOf(decoratorProps))},
	{"output", checkOutput},
}

var decoratorProps = []prop{{"id", anyString}, {"input", anyObject}}

var stepProps = []prop{
	{"id", anyString}, {"name", anyString}, {"action", anyString}, {"input", anyObject},
	{"if", condition}, {"backstage:permissions", permissions},
}

var outputProps = []prop{
	{"links", listOf(objectOf([]prop{
		{"if", condition}, {"url", nonEmpty}, {"entityRef", nonEmpty}, {"title", nonEmpty}, {"icon", nonEmpty},
	}))},
	{"text", listOf(objectOf([]prop{
		{"if", condition}, {"title", nonEmpty}, {"icon", nonEmpty}, {"content", anyString},
	}))},
}

// checkTemplate applies the rest of the Template v1beta3 schema.
func checkTemplate(c *checker, spec *Value) {
	for _, pr := range templateProps {
		if v := spec.Get(pr.key); v != nil {
			pr.check(c, rulePrefix+"spec."+pr.key, Path{"spec", pr.key}, v)
		}
	}
	c.checkSteps(spec)
}

// checkSteps checks the required steps: an array of objects, each with a
// string action.
func (c *checker) checkSteps(spec *Value) {
	const rule = rulePrefix + "spec.steps"
	p := Path{"spec", "steps"}
	v := spec.Get("steps")
	if v == nil {
		c.missing(rule, p, " for kind Template")
		return
	}
	if !c.list(rule, p, v) {
		return
	}
	for i, s := range v.Items {
		sp := p.Index(i)
		if c.placeholder(s) || !c.object(rule, sp, s) {
			continue // a step Backstage reads from a URL is unknown here
		}
		if s.Get("action") == nil {
			c.missing(rule, sp.Key("action"), " in every step")
		}
		c.props(rule, sp, s, stepProps)
	}
}

// checkParameters: an object, or an array of objects, each with optional
// `backstage:permissions` (and, in an array, a `when` condition).
func checkParameters(c *checker, rule string, p Path, v *Value) {
	switch v.Kind {
	case Map:
		c.props(rule, p, v, []prop{{"backstage:permissions", permissions}})
	case List:
		listOf(objectOf([]prop{{"when", condition}, {"backstage:permissions", permissions}}))(c, rule, p, v)
	default:
		c.wrongType(rule, p, v, "an object or an array of objects")
	}
}

// checkOutput: an object with links and text arrays; any other property
// must be a string.
func checkOutput(c *checker, rule string, p Path, v *Value) {
	if !c.object(rule, p, v) {
		return
	}
	c.props(rule, p, v, outputProps)
	for i := range v.Fields {
		f := &v.Fields[i]
		if f.Key != "links" && f.Key != "text" && f.Value.Kind != String && !c.placeholder(f.Value) {
			c.fail(rule, p.Key(f.Key), f.Value, fmt.Sprintf("%s must be a string but found %s (output properties other than links and text are strings)",
				field(p.Key(f.Key)), describe(f.Value)))
		}
	}
}
