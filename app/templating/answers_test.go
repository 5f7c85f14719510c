package templating

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestAnswersRoundTrip(t *testing.T) {
	t.Parallel()
	a := &Answers{SchemaVersion: 1, Template: "service", Version: "1.2.0",
		PlatformCommit: strings.Repeat("ab", 20),
		Values:         map[string]any{"name": "payments", "port": 8080.0, "ci": true, "tags": []any{"a", "b"}, "db": map[string]any{"engine": "postgres"}, "when": "2001-12-14", "off": "no"}}
	data, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := a.Marshal()
	if err != nil || string(again) != string(data) {
		t.Fatalf("Marshal is not stable:\n%s\n%s", data, again)
	}
	got, err := ParseAnswers(data)
	if err != nil {
		t.Fatalf("ParseAnswers(%s): %v", data, err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("round trip:\n got %#v\nwant %#v\nfile:\n%s", got, a, data)
	}
	want := "# Written by portico when this repository was rendered from a template.\n" +
		"# Template upgrades render with these values; secret parameters are never stored here.\n" +
		"schema_version: 1\ntemplate: service\nversion: 1.2.0\nplatform_commit: " + strings.Repeat("ab", 20) + "\nvalues:\n" +
		"  ci: true\n  db:\n    engine: postgres\n  name: payments\n  \"off\": \"no\"\n  port: 8080\n  tags:\n    - a\n    - b\n  when: \"2001-12-14\"\n"
	if string(data) != want {
		t.Errorf("answers file:\n%s\nwant:\n%s", data, want)
	}
}

func TestAnswersWithoutCommit(t *testing.T) {
	t.Parallel()
	data, err := (&Answers{SchemaVersion: 1, Template: "t", Version: "0.1.0"}).Marshal()
	if err != nil || strings.Contains(string(data), "platform_commit") || !strings.Contains(string(data), "values: {}") {
		t.Fatalf("%s, %v", data, err)
	}
	if _, err := ParseAnswers(data); err != nil {
		t.Fatal(err)
	}
}

func TestParseAnswersErrors(t *testing.T) {
	t.Parallel()
	const head = "schema_version: 1\ntemplate: service\nversion: 1.0.0\n"
	cases := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"empty", "", 1, "empty"},
		{"syntax", head + "values: [\n", 5, "syntax"},
		{"not a mapping", "- a\n", 1, "mapping"},
		{"unknown key", head + "values: {}\nextra: 1\n", 5, `unknown key "extra"`},
		{"schema version missing", "template: t\nversion: 1.0.0\nvalues: {}\n", 1, "schema_version"},
		{"schema version from the future", "schema_version: 2\ntemplate: t\nversion: 1.0.0\nvalues: {}\n", 1, "upgrade portico"},
		{"no template", "schema_version: 1\nversion: 1.0.0\nvalues: {}\n", 1, "template must"},
		{"version not semver", "schema_version: 1\ntemplate: t\nversion: latest\nvalues: {}\n", 3, "semantic version"},
		{"version a number", "schema_version: 1\ntemplate: t\nversion: 1.0\nvalues: {}\n", 3, "string"},
		{"short commit", head + "platform_commit: abc123\nvalues: {}\n", 4, "full commit id"},
		{"values not a mapping", head + "values: [a]\n", 4, "values must"},
		{"no values", head, 1, "values must"},
		{"two documents", head + "values: {}\n---\na: 1\n", 5, "one YAML document"},
		{"duplicate key", head + "values: {}\ntemplate: u\n", 5, "duplicate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseAnswers([]byte(c.data))
			var ae *AnswersError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want an *AnswersError", err)
			}
			if ae.Line != c.line || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %v (line %d), want line %d containing %q", err, ae.Line, c.line, c.msg)
			}
		})
	}
}

func FuzzParseAnswers(f *testing.F) {
	f.Add([]byte("schema_version: 1\ntemplate: service\nversion: 1.0.0\nvalues: {name: a}\n"))
	f.Add([]byte("schema_version: 1\ntemplate: t\nversion: 1.0.0\nplatform_commit: " + strings.Repeat("a", 40) + "\nvalues:\n  x: &a [*a]\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte("%YAML 1.1\n---\nvalues: yes\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAnswers(data)
		if err != nil {
			var ae *AnswersError
			if !errors.As(err, &ae) || ae.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		out, err := a.Marshal()
		if err != nil {
			return // values JSON cannot hold, such as NaN, are still read
		}
		b, err := ParseAnswers(out)
		if err != nil {
			t.Fatalf("re-reading what Marshal wrote: %v\n%s", err, out)
		}
		if b.Template != a.Template || b.Version != a.Version || b.PlatformCommit != a.PlatformCommit {
			t.Fatalf("round trip changed the answers: %#v -> %#v", a, b)
		}
	})
}
