package render

import (
	"fmt"
	"strings"
)

// OptionsFromInput reads a fetch:template step's input, already rendered
// by RenderValue, into Options and the values to render with. url is the
// caller's to resolve; replace has no meaning for a fresh tree.
func OptionsFromInput(input map[string]any) (Options, map[string]any, error) {
	var o Options
	values := map[string]any{}
	if v, ok := input["values"]; ok && v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return o, nil, fmt.Errorf("fetch:template values: expected an object, got %s", jsString(v))
		}
		values = m
	}
	var err error
	if o.TargetPath, err = stringInput(input, "targetPath"); err != nil {
		return o, nil, err
	}
	if o.CopyWithoutRender, err = listInput(input, "copyWithoutRender"); err != nil {
		return o, nil, err
	}
	if o.CopyWithoutTemplating, err = listInput(input, "copyWithoutTemplating"); err != nil {
		return o, nil, err
	}
	if o.TemplateFileExtension, err = extensionInput(input["templateFileExtension"]); err != nil {
		return o, nil, err
	}
	o.CookiecutterCompat = truthy(input["cookiecutterCompat"])
	o.TrimBlocks = truthy(input["trimBlocks"])
	o.LStripBlocks = truthy(input["lstripBlocks"])
	return o, values, o.check()
}

func stringInput(input map[string]any, key string) (string, error) {
	switch v := input[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", fmt.Errorf("fetch:template %s: expected a string, got %s", key, jsString(v))
	}
}

func listInput(input map[string]any, key string) ([]string, error) {
	v, ok := input[key]
	if !ok || v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("fetch:template %s must be an Array", key)
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = jsString(e)
	}
	return out, nil
}

// extensionInput is templateFileExtension: true means .njk, a string is
// the extension with or without its dot.
func extensionInput(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case bool:
		if x {
			return ".njk", nil
		}
		return "", nil
	case string:
		if x == "" {
			return "", nil
		}
		if !strings.HasPrefix(x, ".") {
			x = "." + x
		}
		return x, nil
	}
	return "", fmt.Errorf("fetch:template templateFileExtension: expected true or an extension, got %s", jsString(v))
}

// truthy is JavaScript's truthiness for the boolean inputs.
func truthy(v any) bool {
	switch x := normalize(v).(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0 && x == x
	}
	return true
}
