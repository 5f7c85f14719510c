package render

import (
	"path"
	"strings"
)

// matchAny reports whether rel matches the patterns as globby matches
// them in Backstage (dot files included, ** across folders, {a,b}
// alternatives, a leading ! excluding what earlier patterns matched).
func matchAny(patterns []string, rel string) bool {
	matched := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(strings.TrimPrefix(p, "!"), "./")
		if neg {
			if matched && globMatch(p, rel) {
				matched = false
			}
			continue
		}
		if !matched && globMatch(p, rel) {
			matched = true
		}
	}
	return matched
}

func globMatch(pattern, rel string) bool {
	for _, p := range expandBraces(pattern) {
		if matchSegments(strings.Split(p, "/"), strings.Split(rel, "/")) {
			return true
		}
	}
	return false
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// expandBraces turns a{b,c}d into abd and acd; at most 64 alternatives.
func expandBraces(p string) []string {
	open := strings.IndexByte(p, '{')
	if open < 0 {
		return []string{p}
	}
	depth := 0
	for i := open; i < len(p); i++ {
		switch p[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return expandAlternatives(p[:open], splitTop(p[open+1:i]), p[i+1:])
			}
		}
	}
	return []string{p}
}

func expandAlternatives(pre string, alts []string, post string) []string {
	var out []string
	for _, a := range alts {
		for _, e := range expandBraces(pre + a + post) {
			if len(out) == 64 {
				return out
			}
			out = append(out, e)
		}
	}
	return out
}

func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
