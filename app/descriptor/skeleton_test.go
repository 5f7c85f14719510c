package descriptor

import "testing"

func TestIsSkeleton(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		text string
		want bool
	}{
		{"an expression in a value", "kind: Component\nmetadata:\n  name: ${{ values.name }}\n", true},
		{"an expression as the kind", "kind: ${{ values.entityKind }}\nmetadata: {name: x}\n", true},
		{"an expression that breaks the YAML", "kind: Component\nmetadata: {name: ${{ values.name | dump }}}\n", true},
		{"a Template holds expressions in its steps", "kind: Template\nspec:\n  steps:\n    - input: {name: ${{ parameters.name }}}\n", false},
		{"a quoted Template kind", "apiVersion: scaffolder.backstage.io/v1beta3\nkind: 'Template' # golden path\nspec: {steps: ['${{ x }}']}\n", false},
		{"a broken Template is still a Template", "kind: Template\nspec: [${{ x\n", false},
		{"a Template among other documents", "kind: Component\nmetadata: {name: a}\n---\nkind: Template\nspec: {steps: ['${{ x }}']}\n", false},
		{"no expression", "kind: Component\nmetadata:\n  name: web\n", false},
		{"a Nunjucks variable alone is not enough", "kind: Component\nmetadata:\n  name: {{ name }}\n", false},
		{"an indented kind is not the document's", "kind: Component\nspec:\n  kind: Template\n  x: ${{ y }}\n", true},
	}
	for _, c := range cases {
		if got := IsSkeleton([]byte(c.text)); got != c.want {
			t.Errorf("%s: IsSkeleton = %v, want %v", c.name, got, c.want)
		}
	}
}
