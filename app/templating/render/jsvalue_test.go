package render

import (
	"math"
	"testing"
)

func TestJSNumber(t *testing.T) {
	t.Parallel()
	for f, want := range map[float64]string{
		0: "0", 3: "3", -3: "-3", 0.25: "0.25", 1.23: "1.23", 1e21: "1e+21", 1e20: "100000000000000000000",
		1e-7: "1e-7", 0.000001: "0.000001", 123456789.125: "123456789.125", 1.5e300: "1.5e+300",
		math.Inf(1): "Infinity", math.Inf(-1): "-Infinity",
	} {
		if got := jsNumber(f); got != want {
			t.Errorf("jsNumber(%v) = %q, want %q", f, got, want)
		}
	}
	if got := jsNumber(math.NaN()); got != "NaN" {
		t.Errorf("NaN printed %q", got)
	}
}

func TestJSONStringify(t *testing.T) {
	t.Parallel()
	v := map[string]any{"b": []any{1, "x<&>\u2028", nil}, "a": map[string]any{}, "c": true, "d": "\x01\n"}
	got, _ := jsonStringify(v, "")
	if want := `{"a":{},"b":[1,"x<&>` + "\u2028" + `",null],"c":true,"d":"\u0001\n"}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, ok := jsonStringify(nil, ""); ok {
		t.Error("nil stringified; JSON.stringify(undefined) is undefined")
	}
}

func TestIsBinary(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"":                             false,
		"plain text\n":                 false,
		"h\u00e9llo w\u00f6rld \u2603": false,
		"a\x00b":                       true,
		"%PDF-1.4":                     true,
		"\xef\xbb\xbfbom then \x00":    false,
		"\x89PNG\r\n\x1a\n\x01\x02\x03\x04\x05\x06\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99": true,
	} {
		if got := isBinary([]byte(in)); got != want {
			t.Errorf("isBinary(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMatchAny(t *testing.T) {
	t.Parallel()
	cases := []struct {
		patterns []string
		path     string
		want     bool
	}{
		{[]string{".github/workflows/*"}, ".github/workflows/ci.yml", true},
		{[]string{".github/workflows/*"}, ".github/workflows/sub/ci.yml", false},
		{[]string{"static/**"}, "static/a/b/c.png", true},
		{[]string{"**/*.png"}, "logo.png", true},
		{[]string{"*.png"}, "img/logo.png", false},
		{[]string{"./docs/*.md"}, "docs/a.md", true},
		{[]string{"{a,b}/*.txt"}, "b/x.txt", true},
		{[]string{"static/**", "!static/keep.txt"}, "static/keep.txt", false},
		{[]string{"docs"}, "docs/a.md", false},
		{nil, "a", false},
	}
	for _, c := range cases {
		if got := matchAny(c.patterns, c.path); got != c.want {
			t.Errorf("matchAny(%q, %q) = %v, want %v", c.patterns, c.path, got, c.want)
		}
	}
}
