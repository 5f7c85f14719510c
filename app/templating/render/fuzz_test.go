package render

import (
	"context"
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRenderString: any template text with any value never panics, never
// writes past its cap, and a string value is never rendered as a template.
func FuzzRenderString(f *testing.F) {
	for _, seed := range []string{
		"${{ values.name }}",
		"{% for i in range(10) %}${{ i }}{% endfor %}",
		"{% if values.name %}${{ values.name | upper }}{% else %}none{% endif %}",
		"${{ values.name | parseRepoUrl | dump }}",
		"${{ values.name | parseEntityRef | pick('name') }}",
		"${{ values.name | replace('', '-') | dump(2) }}",
		"${{ { a: values.name }['a'] }}",
		"{% set x = values.name ~ values.name %}${{ x }}",
		"${{ 'x' * 1000 }}",
		"${{ values.missing.deeper[0] }}",
		"{{ cookiecutter.name }}",
		"${{ values.name ",
		"{% for %}",
	} {
		f.Add(seed, "payment-api")
		f.Add(seed, "${{ values.name }}{% for i in range(99999) %}x{% endfor %}")
	}
	const max = 4096
	f.Fuzz(func(t *testing.T, text, value string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		scope := map[string]any{"values": map[string]any{"name": value, "n": 3, "list": []any{value}}}
		for _, syn := range []Syntax{{}, {CookiecutterCompat: true}, {TrimBlocks: true, LStripBlocks: true}} {
			out, err := RenderString(ctx, text, scope, syn, max)
			if len(out) > max {
				t.Fatalf("%d bytes out, cap %d", len(out), max)
			}
			if errors.Is(err, ErrOutputTooLarge) && out != "" {
				t.Fatalf("output returned with ErrOutputTooLarge")
			}
		}
		if _, err := RenderValue(ctx, map[string]any{"a": text}, scope); err != nil && ctx.Err() == nil {
			return
		}
		got, err := RenderValue(ctx, "${{ values.name }}", scope)
		// Invalid UTF-8 comes back as U+FFFD, as through Backstage's JSON.
		if err == nil && value != "" && utf8.ValidString(value) && got != value {
			t.Fatalf("value %q came back as %#v: values are data", value, got)
		}
	})
}
