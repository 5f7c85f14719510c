package descriptor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxJSONDepth bounds the nesting of a $json file, as encoding/json does.
const maxJSONDepth = 10000

// decodePlaceholder turns the content of a placeholder's file into the
// value Backstage substitutes: the text itself ($text), the JSON value
// ($json, JSON.parse) or the one YAML document ($yaml). msg says what is
// wrong with the content, "" when nothing is. Like Node's
// Buffer.toString, invalid UTF-8 is read as U+FFFD.
func decodePlaceholder(kind string, data []byte) (v *Value, msg string) {
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	switch kind {
	case "text":
		return &Value{Kind: String, Str: text}, ""
	case "json":
		v, err := parseJSONValue([]byte(text))
		if err != nil {
			return nil, fmt.Sprintf("is not JSON: %v", err)
		}
		return v, ""
	}
	return parseYAMLValue([]byte(text))
}

// parseYAMLValue reads a $yaml file as Backstage's yamlPlaceholderResolver
// does: parseAllDocuments must find exactly one document (empty ones
// count; none at all is an error too) and no error in it. The document's
// root may be any value.
func parseYAMLValue(data []byte) (*Value, string) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var vals []*Value
	for i, c := range splitDocuments(data) {
		d := &Document{Index: i + 1, Line: c.line}
		root := d.read(c, readDirectives(c.text))
		if len(d.Findings) > 0 {
			f := d.Findings[0]
			return nil, fmt.Sprintf("is not valid YAML: line %d, column %d: %s", f.Line, f.Column, f.Message)
		}
		if root == nil {
			root = &Value{Kind: Null}
		}
		vals = append(vals, root)
	}
	if len(vals) != 1 {
		return nil, fmt.Sprintf("holds %d YAML documents; a $yaml placeholder takes exactly one", len(vals))
	}
	return vals[0], ""
}

// parseJSONValue reads one JSON value, keeping the order of keys. As in
// JSON.parse, a repeated key keeps its first place and its last value.
func parseJSONValue(data []byte) (*Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := jsonValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

func jsonValue(dec *json.Decoder, depth int) (*Value, error) {
	if depth > maxJSONDepth {
		return nil, errors.New("nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return jsonObject(dec, depth)
		}
		if t == '[' {
			return jsonArray(dec, depth)
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case string:
		return &Value{Kind: String, Str: t}, nil
	case json.Number:
		f, _ := strconv.ParseFloat(t.String(), 64) // out of range: ±Inf, as JSON.parse
		return &Value{Kind: Number, Num: f, Str: t.String()}, nil
	case bool:
		return &Value{Kind: Bool, Bool: t}, nil
	}
	return &Value{Kind: Null}, nil
}

func jsonObject(dec *json.Decoder, depth int) (*Value, error) {
	v := &Value{Kind: Map}
	index := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string) // the decoder refuses a key that is not a string
		val, err := jsonValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		if i, ok := index[key]; ok {
			v.Fields[i].Value = val // JSON.parse: the key keeps its place, the last value wins
			continue
		}
		index[key] = len(v.Fields)
		v.Fields = append(v.Fields, Field{Key: key, Value: val, keyKind: String})
	}
	_, err := dec.Token()
	return v, err
}

func jsonArray(dec *json.Decoder, depth int) (*Value, error) {
	v := &Value{Kind: List, Items: []*Value{}}
	for dec.More() {
		it, err := jsonValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		v.Items = append(v.Items, it)
	}
	_, err := dec.Token()
	return v, err
}
