package plan

import (
	"strings"

	"github.com/portico-dev/portico/app/templating"
)

// withSecretPlaceholders returns values with every secret parameter of
// the templates that has no value set to "". Secrets are never stored in
// the answers, so an upgrade cannot know them; both renders get the same
// empty string, so a file that held the secret keeps the repository's
// copy of that line (the template did not change it between the sides).
func withSecretPlaceholders(values map[string]any, ts ...*templating.Template) map[string]any {
	out := deepCopy(values)
	for _, t := range ts {
		for _, name := range t.Secrets() {
			setIfAbsent(out, strings.Split(name, "."), "")
		}
	}
	return out
}

func setIfAbsent(m map[string]any, path []string, v any) {
	for len(path) > 1 {
		sub, ok := m[path[0]].(map[string]any)
		if !ok {
			if _, taken := m[path[0]]; taken {
				return
			}
			sub = map[string]any{}
			m[path[0]] = sub
		}
		m, path = sub, path[1:]
	}
	if _, ok := m[path[0]]; !ok {
		m[path[0]] = v
	}
}

func deepCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = deepCopy(sub)
		}
		out[k] = v
	}
	return out
}
