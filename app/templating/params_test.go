package templating

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func serviceTemplate(t *testing.T) *Template {
	t.Helper()
	ts, findings := List(os.DirFS("testdata/platform"))
	if len(ts) != 1 {
		t.Fatalf("testdata template did not load: %v", findings)
	}
	return ts[0]
}

func TestValues(t *testing.T) {
	t.Parallel()
	tp := serviceTemplate(t)
	cases := []struct {
		name   string
		values map[string]any
		want   map[string]any // nil: an error
		fields string         // the refused fields, "field: message" joined by ";"
	}{
		{"defaults fill missing values",
			map[string]any{"name": "payments", "owner": "group:payments"},
			map[string]any{"name": "payments", "owner": "group:payments", "description": "A service generated from the service template.", "port": 8080.0, "ci": true}, ""},
		{"given values win over defaults",
			map[string]any{"name": "payments", "owner": "o", "port": 9000, "ci": false},
			map[string]any{"name": "payments", "owner": "o", "description": "A service generated from the service template.", "port": 9000, "ci": false}, ""},
		{"pattern on page one", map[string]any{"name": "Payments!", "owner": "o"}, nil, "name"},
		{"type and range on page two", map[string]any{"name": "p", "owner": "o", "port": 70000, "ci": "yes"}, nil, "ci;port"},
		{"not an integer", map[string]any{"name": "p", "owner": "o", "port": 80.5}, nil, "port"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := tp.Values(c.values)
			if c.want != nil {
				if err != nil || !reflect.DeepEqual(got, c.want) {
					t.Fatalf("Values = %v, %v; want %v", got, err, c.want)
				}
				return
			}
			var ve *ValuesError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValuesError", err)
			}
			var names []string
			for _, f := range ve.Fields {
				names = append(names, f.Field)
				if f.Message == "" {
					t.Errorf("field %s without a message", f.Field)
				}
			}
			if strings.Join(names, ";") != c.fields {
				t.Errorf("fields = %v, want %s (%v)", names, c.fields, err)
			}
		})
	}
}

func TestValuesDoNotModifyInput(t *testing.T) {
	t.Parallel()
	in := map[string]any{"name": "p", "owner": "o"}
	if _, err := serviceTemplate(t).Values(in); err != nil {
		t.Fatal(err)
	}
	if len(in) != 2 {
		t.Errorf("input modified: %v", in)
	}
}

func TestRequiredWithoutDefault(t *testing.T) {
	t.Parallel()
	_, err := serviceTemplate(t).Values(map[string]any{"name": "payments"})
	var me *MissingParametersError
	if !errors.As(err, &me) || !reflect.DeepEqual(me.Names, []string{"owner"}) {
		t.Fatalf("err = %v, want a *MissingParametersError naming owner", err)
	}
	if !strings.Contains(err.Error(), "owner") {
		t.Errorf("message %q does not name the parameter", err)
	}
}

func TestNestedValuesAndDefaults(t *testing.T) {
	t.Parallel()
	tp, f := Load(platform(map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "      name: {type: string}\n",
		`      name: {type: string}
      db:
        type: object
        required: [engine]
        properties:
          engine: {type: string, enum: [postgres, mysql]}
          size: {type: string, default: small}
          password: {type: string, ui:widget: password}
`, 1), "templates/a/skeleton/x": ""}), "templates/a/template.yaml")
	if tp == nil {
		t.Fatal(f)
	}
	got, err := tp.Values(map[string]any{"db": map[string]any{"engine": "postgres"}})
	if err != nil || got["db"].(map[string]any)["size"] != "small" {
		t.Errorf("nested default: %v, %v", got, err)
	}
	_, err = tp.Values(map[string]any{"db": map[string]any{"engine": "oracle"}})
	var ve *ValuesError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "db.engine" {
		t.Errorf("nested error = %v", err)
	}
	_, err = tp.Values(map[string]any{"db": map[string]any{}})
	if !errors.As(err, &ve) || ve.Fields[0].Field != "db.engine" || ve.Fields[0].Message != "is required" {
		t.Errorf("nested required = %v", err)
	}
	if s := tp.Secrets(); !reflect.DeepEqual(s, []string{"db.password"}) {
		t.Errorf("secrets = %v", s)
	}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	tp, f := Load(platform(map[string]string{"templates/a/template.yaml": strings.Replace(good("a"), "      name: {type: string}\n",
		`      name: {type: string}
      token: {type: string, ui:field: Secret}
      password: {type: string, format: password}
      pin: {type: string, ui:widget: password}
      plain: {type: string, ui:widget: textarea}
`, 1), "templates/a/skeleton/x": ""}), "templates/a/template.yaml")
	if tp == nil {
		t.Fatal(f)
	}
	if got := tp.Secrets(); !reflect.DeepEqual(got, []string{"password", "pin", "token"}) {
		t.Errorf("secrets = %v", got)
	}
	if got := serviceTemplate(t).Secrets(); !reflect.DeepEqual(got, []string{"apiToken"}) {
		t.Errorf("service secrets = %v", got)
	}
}
