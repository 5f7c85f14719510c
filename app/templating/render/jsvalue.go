package render

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER: integral numbers
// up to it are held as int64 so that gonja prints 3, not 3.0.
const maxSafeInteger = 1<<53 - 1

// normalize turns a value into what a template sees in Backstage, where
// values cross into the sandbox as JSON: maps with string keys, lists,
// strings, booleans, numbers (int64 when integral), nil.
func normalize(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int64:
		return x
	case int:
		return int64(x)
	case float64:
		return normalizeFloat(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case *exec.Value:
		if x == nil || x.IsNil() {
			return nil
		}
		return normalize(x.Interface())
	case *exec.Dict:
		out := make(map[string]any, len(x.Pairs))
		for _, p := range x.Pairs {
			out[p.Key.String()] = normalize(p.Value)
		}
		return out
	}
	return normalizeReflect(v)
}

func normalizeFloat(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) <= maxSafeInteger {
		return int64(f)
	}
	return f
}

// normalizeReflect handles the other Go types a caller may hand in (YAML
// decoders' maps with interface keys, typed slices, sized numbers) and
// falls back to a JSON round trip, as Backstage's JSON.stringify would.
func normalizeReflect(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return normalizeFloat(float64(rv.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return normalizeFloat(float64(rv.Uint()))
	case reflect.Float32:
		return normalizeFloat(rv.Float())
	case reflect.Bool:
		return rv.Bool()
	case reflect.String:
		return rv.String()
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = normalize(it.Value().Interface())
		}
		return out
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = normalize(rv.Index(i).Interface())
		}
		return out
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return normalize(out)
}

// jsString is String(v) in JavaScript, which is how Nunjucks prints a
// value: nil prints nothing, lists join their items with commas, objects
// print as [object Object].
func jsString(v any) string {
	switch x := normalize(v).(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return jsNumber(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = jsString(e)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		return "[object Object]"
	}
	return fmt.Sprint(v)
}

// jsNumber formats f as JavaScript's Number.prototype.toString does.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	n, k := x+1, len(digits)
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	es := "+"
	if n-1 < 0 {
		es = "-"
	}
	m := digits[:1]
	if k > 1 {
		m += "." + digits[1:]
	}
	return sign + m + "e" + es + strconv.Itoa(abs(n-1))
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// jsonStringify is JSON.stringify(v, null, indent); ok is false where
// JavaScript returns undefined (v is nil, which is how undefined reaches Go).
func jsonStringify(v any, indent string) (s string, ok bool) {
	v = normalize(v)
	if v == nil {
		return "", false
	}
	var b strings.Builder
	writeJSON(&b, v, indent, "")
	return b.String(), true
}

func writeJSON(b *strings.Builder, v any, indent, prefix string) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case bool, int64:
		b.WriteString(jsString(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
			return
		}
		b.WriteString(jsNumber(x))
	case []any:
		writeJSONList(b, x, indent, prefix)
	case map[string]any:
		writeJSONObject(b, x, indent, prefix)
	default:
		writeJSONString(b, fmt.Sprint(x))
	}
}

func writeJSONList(b *strings.Builder, x []any, indent, prefix string) {
	if len(x) == 0 {
		b.WriteString("[]")
		return
	}
	inner := prefix + indent
	b.WriteByte('[')
	for i, e := range x {
		if i > 0 {
			b.WriteByte(',')
		}
		newline(b, indent, inner)
		writeJSON(b, e, indent, inner)
	}
	newline(b, indent, prefix)
	b.WriteByte(']')
}

func writeJSONObject(b *strings.Builder, x map[string]any, indent, prefix string) {
	if len(x) == 0 {
		b.WriteString("{}")
		return
	}
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	inner := prefix + indent
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		newline(b, indent, inner)
		writeJSONString(b, k)
		b.WriteByte(':')
		if indent != "" {
			b.WriteByte(' ')
		}
		writeJSON(b, x[k], indent, inner)
	}
	newline(b, indent, prefix)
	b.WriteByte('}')
}

func newline(b *strings.Builder, indent, prefix string) {
	if indent != "" {
		b.WriteByte('\n')
		b.WriteString(prefix)
	}
}

// writeJSONString escapes as JSON.stringify does: quotes, backslashes and
// control characters only; <, > and & stay as they are.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
