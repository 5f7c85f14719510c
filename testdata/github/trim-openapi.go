//go:build ignore

// trim-openapi keeps, from GitHub's api.github.com.json, only the operations
// and webhooks that portico uses, plus every component they reference
// (transitively), and drops examples, so the fake GitHub validates against
// GitHub's own description without carrying 13 MB of it. Under
// x-portico-undescribed it lists the paths left out that share a request
// path with a kept one, so that the fake refuses such a request rather
// than take it for the kept operation.
//
//	go run ./testdata/github/trim-openapi.go SRC.json DST.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// operations portico calls, as "METHOD path" in the description's spelling.
var operations = []string{
	"GET /app",
	"GET /app/installations",
	"POST /app/installations/{installation_id}/access_tokens",
	"GET /app/hook/deliveries",
	"POST /app/hook/deliveries/{delivery_id}/attempts",
	"POST /app-manifests/{code}/conversions",
	"GET /installation/repositories",
	"GET /repos/{owner}/{repo}",
	"GET /repos/{owner}/{repo}/branches/{branch}",
	"GET /repos/{owner}/{repo}/contents/{path}",
	"GET /repos/{owner}/{repo}/languages",
	"GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
	"GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
	"POST /repos/{owner}/{repo}/git/blobs",
	"POST /repos/{owner}/{repo}/git/trees",
	"GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
	"POST /repos/{owner}/{repo}/git/commits",
	"GET /repos/{owner}/{repo}/git/ref/{ref}",
	"POST /repos/{owner}/{repo}/git/refs",
	"PATCH /repos/{owner}/{repo}/git/refs/{ref}",
	"GET /repos/{owner}/{repo}/commits/{ref}",
	"GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
	"GET /repos/{owner}/{repo}/collaborators/{username}/permission",
	"GET /repos/{owner}/{repo}/pulls",
	"POST /repos/{owner}/{repo}/pulls",
	"GET /repos/{owner}/{repo}/pulls/{pull_number}",
	"PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
	"GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
	"POST /repos/{owner}/{repo}/check-runs",
	"GET /repos/{owner}/{repo}/check-runs/{check_run_id}",
	"PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
	"GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
	"GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
	"GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
	"POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
	"POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
	"POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
}

// webhooks the fake sends, by their x-webhooks key.
var webhooks = []string{
	"check-run-rerequested",
	"check-suite-rerequested",
	"installation-created",
	"installation-deleted",
	"installation-repositories-added",
	"installation-repositories-removed",
	"issue-comment-created",
	"ping",
	"pull-request-closed",
	"pull-request-edited",
	"pull-request-opened",
	"pull-request-ready-for-review",
	"pull-request-reopened",
	"pull-request-synchronize",
	"push",
	"repository-deleted",
	"repository-renamed",
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run trim-openapi.go SRC.json DST.json")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "trim-openapi:", err)
		os.Exit(1)
	}
}

func run(src, dst string) error {
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	out := map[string]any{}
	for _, k := range []string{"openapi", "info", "servers", "externalDocs"} {
		out[k] = doc[k]
	}
	paths, err := keepOperations(doc["paths"].(map[string]any))
	if err != nil {
		return err
	}
	hooks, err := keepNamed(doc["x-webhooks"].(map[string]any), webhooks)
	if err != nil {
		return err
	}
	out["paths"], out["x-webhooks"] = strip(paths), strip(hooks)
	out["x-portico-undescribed"] = undescribed(doc, paths)
	out["components"] = closure(doc["components"].(map[string]any), out)
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(dst, append(b, '\n'), 0o644)
}

// keepOperations returns the path items holding only the listed operations
// (path-level parameters kept).
func keepOperations(all map[string]any) (map[string]any, error) {
	kept := map[string]any{}
	for _, op := range operations {
		method, path, _ := strings.Cut(op, " ")
		item, ok := all[path].(map[string]any)
		if !ok || item[strings.ToLower(method)] == nil {
			return nil, fmt.Errorf("operation %s not in the description", op)
		}
		k, _ := kept[path].(map[string]any)
		if k == nil {
			k = map[string]any{}
			if p, ok := item["parameters"]; ok {
				k["parameters"] = p
			}
			kept[path] = k
		}
		k[strings.ToLower(method)] = item[strings.ToLower(method)]
	}
	return kept, nil
}

func keepNamed(all map[string]any, names []string) (map[string]any, error) {
	kept := map[string]any{}
	for _, n := range names {
		v, ok := all[n]
		if !ok {
			return nil, fmt.Errorf("webhook %s not in the description", n)
		}
		kept[n] = v
	}
	return kept, nil
}

// strip drops examples: they are documentation, not part of validation,
// and most of the description's size.
func strip(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range v {
			if k == "examples" || k == "example" {
				continue
			}
			m[k] = strip(e)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, e := range v {
			s[i] = strip(e)
		}
		return s
	}
	return v
}

// closure copies every component reachable by $ref from root.
func closure(components map[string]any, root any) map[string]any {
	out := map[string]any{}
	queue := refs(root, nil)
	seen := map[string]bool{}
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		kind, name := splitRef(ref)
		v := strip(components[kind].(map[string]any)[name])
		if out[kind] == nil {
			out[kind] = map[string]any{}
		}
		out[kind].(map[string]any)[name] = v
		queue = refs(v, queue)
	}
	return out
}

func splitRef(ref string) (kind, name string) {
	parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
	return parts[0], parts[1]
}

func refs(v any, acc []string) []string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s, ok := v[k].(string); ok && k == "$ref" {
				acc = append(acc, s)
				continue
			}
			if m, ok := v[k].(map[string]any); ok && k == "mapping" {
				acc = mappingRefs(m, acc)
				continue
			}
			acc = refs(v[k], acc)
		}
	case []any:
		for _, e := range v {
			acc = refs(e, acc)
		}
	}
	return acc
}

// mappingRefs reads a discriminator's mapping, whose values are references
// too.
func mappingRefs(m map[string]any, acc []string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			acc = append(acc, s)
		}
	}
	return acc
}

// undescribed lists the paths of the full description that the trimmed one
// leaves out but that share some request path with a kept one: routed on
// the trimmed description alone, such a request would be taken for the
// kept operation (GET .../commits/SHA/status for "get a commit" with ref
// "SHA/status", GET .../pulls/comments for "get a pull request"). The fake
// refuses those requests when the left-out path is the more specific one,
// naming it; which one is more specific is the router's rule, so every
// overlap is recorded here. Each entry has the path's operations (method
// to operationId) and its multi-segment parameters.
func undescribed(doc, kept map[string]any) map[string]any {
	all := doc["paths"].(map[string]any)
	params := doc["components"].(map[string]any)["parameters"].(map[string]any)
	keptPatterns := map[string][]string{}
	for path := range kept {
		keptPatterns[path] = pattern(path, multiSegment(all[path].(map[string]any), params))
	}
	out := map[string]any{}
	for path, v := range all {
		if kept[path] != nil {
			continue
		}
		item := v.(map[string]any)
		multi := multiSegment(item, params)
		p := pattern(path, multi)
		for _, k := range keptPatterns {
			if overlap(p, k) {
				out[path] = map[string]any{"operations": operationIDs(item), "multi-segment": sortedKeys(multi)}
				break
			}
		}
	}
	return out
}

// multiSegment names the path parameters of a path item (at path or
// operation level) that may span slashes.
func multiSegment(item, components map[string]any) map[string]bool {
	multi := map[string]bool{}
	var lists []any
	for k, v := range item {
		if k == "parameters" {
			lists = append(lists, v)
		} else if op, ok := v.(map[string]any); ok {
			lists = append(lists, op["parameters"])
		}
	}
	for _, l := range lists {
		ps, _ := l.([]any)
		for _, p := range ps {
			pm, _ := p.(map[string]any)
			if ref, ok := pm["$ref"].(string); ok {
				_, name := splitRef(ref)
				pm, _ = components[name].(map[string]any)
			}
			if pm["in"] == "path" && pm["x-multi-segment"] == true {
				multi[pm["name"].(string)] = true
			}
		}
	}
	return multi
}

func operationIDs(item map[string]any) map[string]any {
	out := map[string]any{}
	for method, v := range item {
		if op, ok := v.(map[string]any); ok && method != "parameters" {
			out[method] = op["operationId"]
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// pattern spells a path template as the segments a request may have: a
// literal, "{}" for any one segment, and "{}" then "*" (any further
// segments) for a multi-segment parameter.
func pattern(path string, multi map[string]bool) []string {
	var out []string
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		name, isParam := strings.CutPrefix(part, "{")
		switch {
		case !isParam:
			out = append(out, part)
		case multi[strings.TrimSuffix(name, "}")]:
			out = append(out, "{}", "*")
		default:
			out = append(out, "{}")
		}
	}
	return out
}

// overlap reports whether some request path fits both patterns.
func overlap(a, b []string) bool {
	memo := map[[2]int]bool{}
	var fits func(i, j int) bool
	fits = func(i, j int) bool {
		key := [2]int{i, j}
		if v, ok := memo[key]; ok {
			return v
		}
		var v bool
		switch {
		case i < len(a) && a[i] == "*":
			v = fits(i+1, j) || (j < len(b) && fits(i, j+1))
		case j < len(b) && b[j] == "*":
			v = fits(i, j+1) || (i < len(a) && fits(i+1, j))
		case i == len(a) || j == len(b):
			v = i == len(a) && j == len(b)
		default:
			v = (a[i] == b[j] || a[i] == "{}" || b[j] == "{}") && fits(i+1, j+1)
		}
		memo[key] = v
		return v
	}
	return fits(0, 0)
}
