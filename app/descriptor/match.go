package descriptor

import "strings"

// The matchers below are hand-written equivalents of the regular
// expressions in Backstage's KubernetesValidatorFunctions and
// CommonValidatorFunctions: validation runs on every document of every
// descriptor, and these allocate nothing. Their character classes are all
// ASCII, so byte lengths equal the JavaScript string lengths Backstage
// measures whenever a value can match at all.

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isLowerAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// isObjectName: 1-63, ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$
func isObjectName(s string) bool {
	if len(s) < 1 || len(s) > 63 || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// isDNSLabel: 1-63, ^[a-z0-9]+(?:-+[a-z0-9]+)*$
func isDNSLabel(s string) bool {
	if len(s) < 1 || len(s) > 63 || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// isDNSSubdomain: 1-253, DNS labels separated by dots.
func isDNSSubdomain(s string) bool {
	if len(s) < 1 || len(s) > 253 {
		return false
	}
	for {
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return isDNSLabel(s)
		}
		if !isDNSLabel(s[:i]) {
			return false
		}
		s = s[i+1:]
	}
}

// isKindName: 1-63, ^[a-zA-Z][a-z0-9A-Z]*$
func isKindName(s string) bool {
	if len(s) < 1 || len(s) > 63 {
		return false
	}
	c := s[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	return allAlnum(s)
}

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// prefixed checks `suffix` or `prefix/suffix`: more than one slash fails.
func prefixed(s string, prefix, suffix func(string) bool) bool {
	i := strings.IndexByte(s, '/')
	if i < 0 {
		return suffix(s)
	}
	rest := s[i+1:]
	if strings.IndexByte(rest, '/') >= 0 {
		return false
	}
	return prefix(s[:i]) && suffix(rest)
}

// isAPIVersion: optional DNS subdomain and "/", then 1-63 of [a-zA-Z0-9].
func isAPIVersion(s string) bool {
	return prefixed(s, isDNSSubdomain, isVersionName)
}

func isVersionName(s string) bool { return len(s) >= 1 && len(s) <= 63 && allAlnum(s) }

// isQualifiedKey is the rule of label and annotation keys: optional DNS
// subdomain and "/", then an object name.
func isQualifiedKey(s string) bool { return prefixed(s, isDNSSubdomain, isObjectName) }

// isLabelValue: empty, or an object name.
func isLabelValue(s string) bool { return s == "" || isObjectName(s) }

// isTag: 1-63, ^[a-z0-9:+#]+(\-[a-z0-9:+#]+)*$
func isTag(s string) bool {
	if len(s) < 1 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isLowerAlnum(c) || c == ':' || c == '+' || c == '#':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// isBlank reports whether s is empty once JavaScript's String.prototype.trim
// has removed its white space and line terminators.
func isBlank(s string) bool {
	for _, r := range s {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		default:
			if r < 0x2000 || r > 0x200a {
				return false
			}
		}
	}
	return true
}
