package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestReadEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       envelope
		err        error
	}{
		{"full", prBody, envelope{"opened", 42, "acme/web"}, nil},
		{"empty object", `{}`, envelope{}, nil},
		{"nulls", `{"action":null,"installation":null,"repository":{"full_name":null}}`, envelope{}, nil},
		{"last key counts", `{"action":"a","action":"b","installation":{"id":1},"installation":{"x":2}}`, envelope{action: "b"}, nil},
		{"escaped key and value", `{"\u0061ction":"op\u0065ned"}`, envelope{action: "opened"}, nil},
		{"invalid UTF-8 replaced", "{\"action\":\"a\xffb\"}", envelope{action: "a\uFFFDb"}, nil},
		{"negative id", `{"installation":{"id":-7}}`, envelope{installation: -7}, nil},
		{"other fields ignored", `{"number":1,"pull_request":{"action":5},"repository":{"name":"x","full_name":"o/x"}}`, envelope{repository: "o/x"}, nil},
		{"array", `[1]`, envelope{}, errNotObject},
		{"string", `"x"`, envelope{}, errNotObject},
		{"null", `null`, envelope{}, errNotObject},
		{"truncated", `{"action":`, envelope{}, errNotObject},
		{"trailing data", `{} {}`, envelope{}, errNotObject},
		{"control character", "{\"action\":\"a\nb\"}", envelope{}, errNotObject},
		{"bad escape", `{"action":"\x"}`, envelope{}, errNotObject},
		{"NaN", `{"installation":{"id":NaN}}`, envelope{}, errNotObject},
		{"too deep", strings.Repeat(`{"a":`, 400) + `1` + strings.Repeat(`}`, 400), envelope{}, errNotObject},
		{"action not a string", `{"action":5}`, envelope{}, errMalformedEnvelope},
		{"installation not an object", `{"installation":7}`, envelope{}, errMalformedEnvelope},
		{"id not a number", `{"installation":{"id":"x"},"repository":7}`, envelope{}, errMalformedEnvelope},
		{"id a fraction", `{"installation":{"id":1.5}}`, envelope{}, errMalformedEnvelope},
		{"id overflows", `{"installation":{"id":9223372036854775808}}`, envelope{}, errMalformedEnvelope},
		{"full_name not a string", `{"repository":{"full_name":["a"]}}`, envelope{}, errMalformedEnvelope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readEnvelope([]byte(tt.body))
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("readEnvelope = %+v, %v; want %+v, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// referenceEnvelope reads body's envelope with encoding/json, as the
// handler did before, into maps, so that of repeated keys the last counts
// and keys match exactly. isObject is false if body is not one JSON
// object; err is errMalformedEnvelope if a field has the wrong type.
func referenceEnvelope(body []byte) (e envelope, isObject bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if !json.Valid(body) || dec.Decode(&m) != nil || m == nil {
		return e, false, nil
	}
	inst, okI := optional[map[string]any](m["installation"])
	repo, okR := optional[map[string]any](m["repository"])
	id, okN := optional[json.Number](inst["id"])
	var okA, okF bool
	e.action, okA = optional[string](m["action"])
	e.repository, okF = optional[string](repo["full_name"])
	if id != "" {
		var perr error
		e.installation, perr = strconv.ParseInt(string(id), 10, 64)
		okN = okN && perr == nil
	}
	if !okI || !okR || !okN || !okA || !okF {
		return envelope{}, true, errMalformedEnvelope
	}
	return e, true, nil
}

// optional returns v as a T, or T's zero value if v is nil; ok is false
// if v is neither.
func optional[T any](v any) (t T, ok bool) {
	if v == nil {
		return t, true
	}
	t, ok = v.(T)
	return t, ok
}

// depth is body's deepest nesting of arrays and objects.
func depth(body []byte) int {
	var d, deepest int
	inString, escaped := false, false
	for _, c := range body {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == '{' || c == '['):
			d++
			deepest = max(deepest, d)
		case !inString && (c == '}' || c == ']'):
			d--
		}
	}
	return deepest
}

// FuzzReadEnvelope holds readEnvelope to encoding/json: the same bodies
// accepted, the same fields read, the same type errors, short of nesting
// deeper than fastjson allows.
func FuzzReadEnvelope(f *testing.F) {
	for _, s := range []string{prBody, `{}`, `[1]`, `{"action":5}`, `{"installation":{"id":1.0}}`, `{"repository":{"full_name":null}}`, "{\"action\":\"\xff\"}", "{\"action\":\"\xfd\xfd\"}", "{\"\x05\\\\b\":0}", "{\"a\":\"\x01\\\\n\"}"} {
		f.Add([]byte(s))
	}
	if raw, err := os.ReadFile("../../testdata/github/webhooks/pull_request.synchronize.json"); err == nil {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := readEnvelope(body)
		want, isObject, wantErr := referenceEnvelope(body)
		switch {
		case !isObject || depth(body) > 300:
			if err == nil {
				t.Fatalf("accepted %q, which encoding/json does not take for an object", body)
			}
		case err != wantErr || got != want:
			t.Fatalf("readEnvelope(%q) = %+v, %v; encoding/json reads %+v, %v", body, got, err, want, wantErr)
		}
	})
}

func BenchmarkReadEnvelope(b *testing.B) {
	raw, err := os.ReadFile("../../testdata/github/webhooks/pull_request.synchronize.json")
	if err != nil {
		b.Fatal(err)
	}
	var body bytes.Buffer
	if err := json.Compact(&body, raw); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(body.Len()))
	for b.Loop() {
		if _, err := readEnvelope(body.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
