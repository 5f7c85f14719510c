package policy

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/portico-dev/portico/app/descriptor"
)

// SeverityOff, as the severity of a rule, drops its findings.
const SeverityOff = "off"

// severityRef is the bundle's own severity table: an object from rule id
// to severity, in `package portico` as `severity := {...}`. It lets an
// organisation that keeps the default rules raise some to errors (or turn
// some off) in Rego, beside the policies, with one line per rule.
var severityRef = ast.MustParseRef("data." + root + ".severity")

// severityTable merges the bundle's table with the configuration's, the
// configuration winning: it is the operator's last word.
func severityTable(ctx context.Context, c *ast.Compiler, sb *sandbox, fromConfig map[string]string) (map[string]string, error) {
	table, err := regoSeverities(ctx, c, sb)
	if err != nil {
		return nil, err
	}
	if err := checkSeverities(fromConfig); err != nil {
		return nil, err
	}
	if len(table)+len(fromConfig) == 0 {
		return nil, nil
	}
	if table == nil {
		table = map[string]string{}
	}
	maps.Copy(table, fromConfig)
	return table, nil
}

// regoSeverities evaluates data.portico.severity once, without input: the
// table is configuration, so it must not depend on the document.
func regoSeverities(ctx context.Context, c *ast.Compiler, sb *sandbox) (map[string]string, error) {
	rules := c.GetRulesExact(severityRef)
	if len(rules) == 0 {
		return nil, nil
	}
	at := rules[0].Location
	rs, err := rego.New(rego.Compiler(c), rego.Capabilities(sb.caps),
		rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.RefTerm(severityRef...))))).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: evaluate %s: %w", at, severityRef, err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("%s: %s is undefined without input: write it as a constant object, rule id to \"error\", \"warning\" or \"off\"", at, severityRef)
	}
	obj, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: %s must be an object from rule id to \"error\", \"warning\" or \"off\"", at, severityRef)
	}
	table := make(map[string]string, len(obj))
	var errs []error
	for _, rule := range slices.Sorted(maps.Keys(obj)) {
		s, _ := obj[rule].(string)
		if err := checkSeverity(s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s[%q]: %w", at, severityRef, rule, err))
		}
		table[rule] = s
	}
	return table, errors.Join(errs...)
}

// checkSeverities checks a table given by the configuration.
func checkSeverities(table map[string]string) error {
	var errs []error
	for _, rule := range slices.Sorted(maps.Keys(table)) {
		if err := checkSeverity(table[rule]); err != nil {
			errs = append(errs, fmt.Errorf("policy severity of %q: %w", rule, err))
		}
	}
	return errors.Join(errs...)
}

func checkSeverity(s string) error {
	switch s {
	case string(descriptor.SeverityError), string(descriptor.SeverityWarning), SeverityOff:
		return nil
	}
	return fmt.Errorf("severity %q is not error, warning or off", s)
}
