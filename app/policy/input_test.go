package policy

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// toAST must give what JSON decoding of the document gives, which is what
// policies are written against.
func TestToASTMatchesJSON(t *testing.T) {
	t.Parallel()
	docs := []string{
		cleanComponent,
		"a: 1\nb: -1.5\nc: 1e3\nd: 0x1F\ne: true\nf: null\ng: ''\nh: [1, [2, {x: y}], []]\ni: {}\n",
		"base: &b {k: v, l: [1, 2]}\none: *b\ntwo: [*b, *b]\n",
		"'key with spaces': {\"a.b/c\": [null, ~, false]}\n",
		"big: 12345678901234567890\nsmall: 0.000001\n",
	}
	for _, src := range docs {
		d := parseOne(t, src)
		want, err := ast.InterfaceToValue(d.Root.Interface())
		if err != nil {
			t.Fatal(err)
		}
		if got := toAST(d.Root); got.Compare(want) != 0 {
			t.Errorf("toAST(%q)\n got %v\nwant %v", src, got, want)
		}
	}
}

func TestToASTNumbers(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"1": "1", "1.0": "1", "-0": "0", "1e3": "1000", "0o17": "15", "1.5": "1.5",
		"1e300": "1e+300", ".inf": "null", "-.inf": "null", ".nan": "null",
	}
	for src, want := range cases {
		d := parseOne(t, "n: "+src+"\n")
		got := toAST(d.Root).(ast.Object).Get(ast.StringTerm("n"))
		if got.String() != want {
			t.Errorf("n: %s became %v, want %s", src, got, want)
		}
	}
}
