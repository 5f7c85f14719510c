package descriptor

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// resolvePlain types a plain (unquoted, untagged) scalar by the YAML 1.2
// core schema, as Backstage's parser does: dates and yes/no/on/off stay
// strings, unlike YAML 1.1.
func resolvePlain(s string, v *Value) {
	if isNullWord(s) {
		v.Kind = Null
		return
	}
	if t, ok := boolWord(s); ok {
		v.Kind, v.Bool = Bool, t
		return
	}
	if n, ok := coreNumber(s); ok {
		v.Kind, v.Num, v.Str = Number, n, s
		return
	}
	v.Kind, v.Str = String, s
}

func isNullWord(s string) bool {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

func boolWord(s string) (value, ok bool) {
	switch s {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// coreNumber parses s when the core schema types it as an int or a float.
func coreNumber(s string) (float64, bool) {
	if n, ok := coreInt(s); ok {
		return n, true
	}
	return coreFloat(s)
}

// coreInt matches the core schema's ints: 0o17, 0x1F, [-+]?[0-9]+.
func coreInt(s string) (float64, bool) {
	switch {
	case s == "":
		return 0, false
	case strings.HasPrefix(s, "0o"):
		return parseRadix(s[2:], 8)
	case strings.HasPrefix(s, "0x"):
		return parseRadix(s[2:], 16)
	}
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if len(digits) == len(s)-1 || len(digits) == len(s) {
		if digits != "" && countDigits(digits) == len(digits) {
			return parseDecimal(s)
		}
	}
	return 0, false
}

// coreFloat matches the core schema's floats: infinities, NaN, and decimals
// with a fraction or an exponent.
func coreFloat(s string) (float64, bool) {
	switch strings.TrimLeft(s, "+-") {
	case ".inf", ".Inf", ".INF":
		if len(s) <= 5 {
			if s[0] == '-' {
				return math.Inf(-1), true
			}
			return math.Inf(1), true
		}
	}
	switch s {
	case ".nan", ".NaN", ".NAN":
		return math.NaN(), true
	}
	if s == "" || !isCoreDecimal(s) || countDigits(strings.TrimLeft(s, "+-")) == len(strings.TrimLeft(s, "+-")) {
		return 0, false
	}
	return parseDecimal(s)
}

func parseDecimal(s string) (float64, bool) {
	n, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return n, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func parseRadix(digits string, base int) (float64, bool) {
	if digits == "" {
		return 0, false
	}
	var n float64
	for i := 0; i < len(digits); i++ {
		d, ok := digitValue(digits[i])
		if !ok || d >= base {
			return 0, false
		}
		n = n*float64(base) + float64(d)
	}
	return n, true
}

func digitValue(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

// isCoreDecimal matches [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
func isCoreDecimal(s string) bool {
	i := 0
	if s[i] == '-' || s[i] == '+' {
		i++
	}
	intDigits := countDigits(s[i:])
	i += intDigits
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		fracDigits = countDigits(s[i:])
		i += fracDigits
	}
	if intDigits == 0 && fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := countDigits(s[i:])
		if exp == 0 {
			return false
		}
		i += exp
	}
	return i == len(s)
}

func countDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// keyString turns a resolved mapping key into the property name that a
// JavaScript object would get for it. Backstage's YAML library stringifies
// a collection key in flow style, as in "[ a, b ]" and "{ a: b }".
func keyString(v *Value) string {
	switch v.Kind {
	case Map, List:
		var b strings.Builder
		writeFlow(&b, v)
		return b.String()
	case Null:
		return ""
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Number:
		return formatJSNumber(v.Num)
	}
	return v.Str
}

func formatJSNumber(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case n == math.Trunc(n) && math.Abs(n) < 1e21:
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return strconv.FormatFloat(n, 'g', -1, 64)
}

// timestampPattern is the YAML 1.1 timestamp that Backstage's YAML library
// requires of a value tagged !!timestamp.
var timestampPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$`)

func isTimestamp(s string) bool { return timestampPattern.MatchString(s) }

func writeFlow(b *strings.Builder, v *Value) {
	switch v.Kind {
	case List:
		if len(v.Items) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[ ")
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeFlow(b, it)
		}
		b.WriteString(" ]")
	case Map:
		if len(v.Fields) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{ ")
		for i, f := range v.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Key + ": ")
			writeFlow(b, f.Value)
		}
		b.WriteString(" }")
	case String, Number:
		b.WriteString(v.Str)
	default:
		b.WriteString(keyString(v))
	}
}
