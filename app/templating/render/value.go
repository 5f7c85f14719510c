package render

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	"github.com/nikolalohinski/gonja/v2/nodes"
)

// singleExpr is the rewrite Backstage's workflow runner applies to a
// string that is one expression: ${{ x }} becomes ${{ ( x ) | dump }}.
var singleExpr = regexp.MustCompile(`\$\{\{(.+)\}\}`)

// RenderValue renders a step's input against scope (parameters, steps,
// user, secrets, each...) as Backstage's workflow runner does: every
// string in input, however deep in maps and lists, is rendered; a string
// that is one single expression keeps its value's type (a number stays a
// number, an object an object); a string that renders to nothing is
// dropped from its map (nil in a list). Strings that come out of scope are
// never rendered again.
func RenderValue(ctx context.Context, input any, scope map[string]any) (any, error) {
	return renderValue(ctx, normalize(input), normalizeScope(scope), "")
}

func renderValue(ctx context.Context, v any, scope map[string]any, at string) (any, error) {
	switch x := v.(type) {
	case string:
		out, err := renderStringValue(ctx, x, scope)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", where(at), err)
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := renderValue(ctx, e, scope, at+"."+k)
			if err != nil {
				return nil, err
			}
			if r != nil {
				out[k] = r
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := renderValue(ctx, e, scope, at+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

func where(at string) string {
	if at == "" {
		return "input"
	}
	return "input" + at
}

// renderStringValue renders one string of a step's input; nil stands for
// JavaScript's undefined.
func renderStringValue(ctx context.Context, s string, scope map[string]any) (any, error) {
	if isSingleExpression(s) {
		wrapped := singleExpr.ReplaceAllString(s, "$${{ ( ${1} ) | dump }}")
		out, err := RenderString(ctx, wrapped, scope, Syntax{}, 0)
		if err == nil {
			if out == "" {
				return nil, nil
			}
			var v any
			if json.Unmarshal([]byte(out), &v) == nil {
				return normalize(v), nil
			}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	out, err := RenderString(ctx, s, scope, Syntax{}, 0)
	if err != nil {
		return nil, err
	}
	if out == "" {
		return nil, nil
	}
	return out, nil
}

// isSingleExpression mirrors the runner's test on Nunjucks' parse tree:
// one node, comments aside, and that node is not plain text.
func isSingleExpression(s string) bool {
	t, err := compile("input", s, Syntax{})
	if err != nil {
		return false
	}
	n := 0
	single := true
	for _, node := range t.Root().Nodes {
		switch node.(type) {
		case *nodes.Comment:
			continue
		case *nodes.Data:
			single = false
		}
		n++
	}
	return n == 1 && single
}
