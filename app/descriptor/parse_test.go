package descriptor

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseDocuments(t *testing.T) {
	t.Parallel()
	src := "# leading comment\n---\nkind: Component\nmetadata:\n  name: a\n---\n---\nkind: API\nmetadata: {name: b}\n...\n# between\n---\nkind: [\n"
	f := Parse([]byte(src), 0)
	if len(f.Findings) != 0 {
		t.Fatalf("file findings: %v", f.Findings)
	}
	if len(f.Documents) != 3 {
		t.Fatalf("got %d documents, want 3", len(f.Documents))
	}
	want := []struct {
		index, line int
		kind, name  string
		valid       bool
	}{{1, 2, "Component", "a", true}, {3, 7, "API", "b", true}, {4, 12, "", "", false}}
	for i, w := range want {
		d := f.Documents[i]
		if d.Index != w.index || d.Line != w.line || d.Kind() != w.kind || d.Name() != w.name || d.Valid() != w.valid {
			t.Errorf("doc %d = {%d %d %q %q %v}, want %+v", i, d.Index, d.Line, d.Kind(), d.Name(), d.Valid(), w)
		}
	}
	if got := f.Documents[2].Findings[0]; got.Rule != RuleYAML || got.Line < 12 {
		t.Errorf("syntax finding = %+v, want yaml/syntax at line >= 12", got)
	}
}

func TestParseScalarsCoreSchema(t *testing.T) {
	t.Parallel()
	cases := map[string]Kind{
		"a": String, "yes": String, "on": String, "2001-12-14": String, "0b101": String, "1_000": String,
		"1": Number, "-1.5": Number, "0x1F": Number, "0o17": Number, "1e3": Number, ".inf": Number, ".NaN": Number,
		"true": Bool, "FALSE": Bool, "~": Null, "null": Null, "": Null, "'1'": String, "!!str 1": String,
	}
	for src, want := range cases {
		f := Parse([]byte("k: "+src+"\n"), 0)
		if len(f.Documents) != 1 || f.Documents[0].Root == nil {
			t.Fatalf("%q: no document", src)
		}
		if got := f.Documents[0].Root.Get("k").Kind; got != want {
			t.Errorf("%q resolved as %s, want %s", src, got, want)
		}
	}
}

func TestParseRefusals(t *testing.T) {
	t.Parallel()
	laughs := "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	cases := []struct {
		name, src, rule string
		max             int64
	}{
		{"size", strings.Repeat("a", 100), RuleSize, 10},
		{"binary", "kind: \x00\xff", RuleEncoding, 0},
		{"dup", "kind: A\nkind: B\n", RuleDupKey, 0},
		{"root", "- a\n- b\n", RuleRoot, 0},
		{"laughs", laughs, RuleAlias, 0},
		{"cycle", "a: &a [*a]\n", RuleAlias, 0},
		{"syntax", "a: b: c\n", RuleYAML, 0},
	}
	for _, c := range cases {
		f := Parse([]byte(c.src), c.max)
		all := f.Findings
		for _, d := range f.Documents {
			all = append(all, d.Findings...)
		}
		if len(all) == 0 || all[0].Rule != c.rule {
			t.Errorf("%s: findings %+v, want rule %s", c.name, all, c.rule)
		}
	}
}

func TestMergeKeyIsPlainKey(t *testing.T) {
	t.Parallel()
	f := Parse([]byte("base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n"), 0)
	m := f.Documents[0].Root.Get("m")
	if m.Get("<<") == nil || m.Get("x") != nil {
		t.Errorf("merge key was merged: %+v", m.Fields)
	}
}

func TestLocate(t *testing.T) {
	t.Parallel()
	src := "kind: Component\nmetadata:\n  name: x\n  tags: [a, b]\n  annotations:\n    a.b/c: v\nspec:\n  type: service\n"
	root := Parse([]byte(src), 0).Documents[0].Root
	cases := map[string][2]int{
		"metadata.name":                 {3, 9},
		"metadata.tags[1]":              {4, 13},
		`metadata.annotations["a.b/c"]`: {6, 12},
		"spec.owner":                    {7, 1},
		"spec.type":                     {8, 9},
	}
	for ps, want := range cases {
		p, err := ParsePath(ps)
		if err != nil {
			t.Fatal(err)
		}
		if p.String() != ps {
			t.Errorf("round trip %q -> %q", ps, p.String())
		}
		if l, c := root.Locate(p); l != want[0] || c != want[1] {
			t.Errorf("%s at %d:%d, want %v", ps, l, c, want)
		}
	}
}

func TestDuplicateKeysInLargeMappings(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "k%d: v\n", i)
	}
	cases := map[string]bool{
		b.String() + "k3: again\n":         true,
		b.String() + "1: a\n'1': b\n":      false,
		b.String() + "1: a\n1.0: b\n":      true,
		b.String() + ".nan: a\n.nan: b\n":  false,
		b.String() + "[a]: x\n[a]: y\n":    false,
		b.String() + "~: a\nnull: b\n":     true,
		b.String() + "'': a\n~: b\n":       false,
		b.String() + "true: a\nTrue: b\n":  true,
		b.String() + "0x10: a\n16: b\n":    true,
		b.String() + "<<: a\n'<<': b\n":    true,
		"a: 1\nb: 2\n'1': x\n1: y\n1: z\n": true,
	}
	for src, dup := range cases {
		f := Parse([]byte(src), 0)
		got := len(f.Documents) == 1 && len(f.Documents[0].Findings) > 0 && f.Documents[0].Findings[0].Rule == RuleDupKey
		if got != dup {
			t.Errorf("%q: duplicate = %v, want %v", src[len(src)-20:], got, dup)
		}
	}
}
