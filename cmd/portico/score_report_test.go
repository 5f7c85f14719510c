package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scoredCentral is a central catalog as catalog sync records it: each
// scored entity's file under catalog/ and, beside it under scorecards/,
// its element of `portico score --format json`'s entities, plus one score
// file that a bad merge left broken.
func scoredCentral(t *testing.T) string {
	t.Helper()
	root := checkouts(t)
	out, stderr, code := runIn(t, root, "score", "--format", "json")
	if code != 0 {
		t.Fatalf("score: exit %d: %s", code, stderr)
	}
	var rep struct{ Entities []json.RawMessage }
	must(t, json.Unmarshal([]byte(out), &rep))
	files := map[string]string{"scorecards/default/component/broken.json": `{"ref": "component:default/broken", "scorecards": [{"id"`}
	for _, raw := range rep.Entities {
		var e struct{ Ref, Path string }
		must(t, json.Unmarshal(raw, &e))
		kind, rest, _ := strings.Cut(e.Ref, ":")
		ns, name, _ := strings.Cut(rest, "/")
		descriptor, err := os.ReadFile(filepath.Join(root, e.Path))
		must(t, err)
		var indented strings.Builder
		enc := json.NewEncoder(&indented)
		enc.SetIndent("", "  ")
		must(t, enc.Encode(raw))
		files["catalog/"+ns+"/"+kind+"/"+name+".yaml"] = string(descriptor)
		files["scorecards/"+ns+"/"+kind+"/"+name+".json"] = indented.String()
	}
	central := filepath.Join(t.TempDir(), "central")
	checkout(t, central, files, nil)
	return central
}

// TestScoreReport runs `portico score report` on a central catalog in
// every format: the organisation's levels, owners and most-failed rules,
// the broken score file named and the others counted.
func TestScoreReport(t *testing.T) {
	t.Parallel()
	central := scoredCentral(t)
	outputs := map[string]string{}
	for _, format := range []string{"text", "json", "markdown", "html"} {
		out, stderr, code := runIn(t, t.TempDir(), "score", "report", "--catalog", central, "--format", format)
		if code != 2 || !strings.Contains(stderr, "scorecards/default/component/broken.json") {
			t.Errorf("%s: exit %d, stderr %q; want 2 naming the broken score file", format, code, stderr)
		}
		outputs[format] = out
	}
	var rep struct {
		Entities   int
		Scorecards []struct {
			ID      string
			ByLevel map[string]int `json:"by_level"`
			ByOwner []struct {
				Owner   string
				ByLevel map[string]int `json:"by_level"`
			} `json:"by_owner"`
			MostFailed []struct{ ID string } `json:"most_failed"`
		}
		Problems []struct{ Path string }
	}
	must(t, json.Unmarshal([]byte(outputs["json"]), &rep))
	if rep.Entities != 4 || len(rep.Problems) != 1 {
		t.Fatalf("entities %d, problems %+v; want 4 and the broken file", rep.Entities, rep.Problems)
	}
	for _, c := range rep.Scorecards {
		if c.ID != "production-readiness" {
			continue
		}
		if c.ByLevel["gold"] != 1 || c.ByLevel["bronze"] != 2 || c.ByLevel["none"] != 1 {
			t.Errorf("by level %v, want 1 gold, 2 bronze, 1 none", c.ByLevel)
		}
		owners := map[string]map[string]int{}
		for _, o := range c.ByOwner {
			owners[o.Owner] = o.ByLevel
		}
		if owners["group:default/team-payments"]["gold"] != 1 || owners["user:default/jane"]["none"] != 1 || owners["group:default/team-labs"]["bronze"] != 1 {
			t.Errorf("by owner %v", owners)
		}
		if len(c.MostFailed) == 0 {
			t.Error("no most-failed rules")
		}
	}
	for format, want := range map[string][]string{
		"text":     {"4 entities scored", "production-readiness (Production readiness): 4 entities", "user:default/jane: 1 none", "most-failed rules:", "broken.json"},
		"markdown": {"# Scorecards", "| gold | 1 |", "| group:default/team-payments | 1 | 1 |", "most-failed rule", "broken.json"},
		"html":     {"<!DOCTYPE html>", "<svg ", "<title>gold: 1</title>", "<td>user:default/jane</td>", "broken.json"},
	} {
		for _, w := range want {
			if !strings.Contains(outputs[format], w) {
				t.Errorf("%s report lacks %q:\n%s", format, w, outputs[format])
			}
		}
	}
	for _, bad := range []string{"<script", " src=", "<link", "@import", "url("} {
		if strings.Contains(outputs["html"], bad) {
			t.Errorf("the page is not standalone: it holds %q", bad)
		}
	}
}
