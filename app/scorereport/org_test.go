package scorereport

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/portico-dev/portico/app/scorecard"
)

// hostile is what a catalog's files may hold: markup in an owner's name
// and in a rule's id and title.
const hostile = `<script>alert(1)</script>`

// scoreFile renders e as the central catalog records it.
func scoreFile(t *testing.T, e Entity) []byte {
	t.Helper()
	je := jsonEntity{Ref: e.Ref, Path: e.Path, Line: e.Line, Scorecards: []jsonScorecard{}}
	for _, s := range e.Scorecards {
		je.Scorecards = append(je.Scorecards, toJSON(s))
	}
	data, err := json.MarshalIndent(je, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

// orgSample is the sample's entities as recorded, owned by two teams and
// one owner with markup in its name, plus a silver service whose failing gold rule
// has markup in its id.
func orgSample(t *testing.T) Org {
	t.Helper()
	owners := []string{"group:default/payments", "group:default/" + hostile, ""}
	var recs []Recorded
	for i, e := range sample() {
		r, err := ParseRecorded(scoreFile(t, e))
		if err != nil {
			t.Fatal(err)
		}
		r.Owner = owners[i]
		recs = append(recs, r)
	}
	p := scorecard.Passed
	silver := scorecard.Result{ID: "production-readiness", Title: "Production readiness", Levels: []string{"bronze", "silver", "gold"}, Level: "silver", NextLevel: "gold", Points: 4, MaxPoints: 5,
		Rules: []scorecard.RuleResult{rule("owner-is-group", "bronze", 2, p), rule("has-ci", "silver", 2, p), rule(`"><svg onload=alert(1)>`, "gold", 1, scorecard.Failed)}}
	silver.Rules[2].Title = hostile
	r, err := ParseRecorded(scoreFile(t, Entity{Ref: "component:default/ledger", Path: "catalog-info.yaml", Line: 1, Scorecards: []scorecard.Result{silver}}))
	if err != nil {
		t.Fatal(err)
	}
	r.Owner = "group:default/payments"
	recs = append(recs, r)
	problems := []Problem{{Path: "scorecards/default/component/zz.json", Err: errors.New("decode score file: unexpected EOF")}}
	return SummarizeOrg("0123456789abcdef0123456789abcdef01234567", recs, problems)
}

func TestOrgGolden(t *testing.T) {
	t.Parallel()
	o := orgSample(t)
	for _, c := range []struct{ format, file string }{
		{"text", "org.text.golden"}, {"json", "org.json.golden"}, {"markdown", "org.md.golden"}, {"html", "org.html.golden"},
	} {
		t.Run(c.format, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := WriteOrg(&b, c.format, o); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b.String())
		})
	}
	if err := WriteOrg(&bytes.Buffer{}, "csv", o); err == nil {
		t.Error("WriteOrg csv: no error")
	}
}

// TestOrgCounts checks the figures themselves, not their rendering.
func TestOrgCounts(t *testing.T) {
	t.Parallel()
	o := orgSample(t)
	if o.Entities != 4 || len(o.Scorecards) != 2 || len(o.Problems) != 1 {
		t.Fatalf("entities %d, scorecards %d, problems %d; want 4, 2, 1", o.Entities, len(o.Scorecards), len(o.Problems))
	}
	docs, pr := o.Scorecards[0], o.Scorecards[1]
	if docs.ID != "documentation" || docs.Entities != 2 || docs.ByLevel["complete"] != 1 || docs.ByLevel[ErrorLevel] != 1 {
		t.Errorf("documentation: %+v", docs)
	}
	if got := strings.Join(pr.Levels, ","); got != "bronze,silver,gold" {
		t.Errorf("production-readiness levels %s, want bronze,silver,gold", got)
	}
	if pr.Entities != 3 || pr.ByLevel["silver"] != 2 || pr.ByLevel["none"] != 1 {
		t.Errorf("production-readiness by level %v, want 2 silver, 1 none", pr.ByLevel)
	}
	want := []OwnerLevels{
		{Owner: "group:default/" + hostile, Entities: 1, ByLevel: map[string]int{"none": 1}},
		{Owner: "group:default/payments", Entities: 2, ByLevel: map[string]int{"silver": 2}},
	}
	if len(pr.ByOwner) != 2 || pr.ByOwner[0].Owner != want[0].Owner || pr.ByOwner[1].ByLevel["silver"] != 2 || pr.ByOwner[0].ByLevel["none"] != 1 {
		t.Errorf("production-readiness by owner %+v, want %+v", pr.ByOwner, want)
	}
	// has-tests and has-security-policy fail on both the silver payments
	// and legacy; owner-is-group and has-ci on legacy alone.
	top := pr.MostFailed
	if len(top) < 4 || top[0].ID != "has-security-policy" || top[0].Failed != 2 || top[1].ID != "has-tests" || top[1].Failed != 2 || top[2].Failed != 1 {
		t.Errorf("most failed %+v", top)
	}
}

// TestOrgHTMLEscapes checks that markup from the catalog's files is text
// on the page, in element content and in attributes alike.
func TestOrgHTMLEscapes(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteOrg(&b, "html", orgSample(t)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, raw := range []string{"<script", "<svg onload", `"><svg`} {
		if strings.Contains(page, raw) {
			t.Errorf("page holds %q unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile owner is not shown as text")
	}
	if strings.Count(page, "<svg ") != 2 || strings.Contains(page, "<script") {
		t.Error("want one inline SVG chart per scorecard and no script")
	}
}

func TestParseRecordedRefuses(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]string{
		"not json":        `{"ref": "component:default/a",`,
		"no ref":          `{"path": "a.yaml", "scorecards": []}`,
		"no id":           `{"ref": "component:default/a", "scorecards": [{"level": "gold"}]}`,
		"no level":        `{"ref": "component:default/a", "scorecards": [{"id": "x"}]}`,
		"two values":      `{"ref": "component:default/a"} {}`,
		"wrong type":      `{"ref": 7}`,
		"scorecards kind": `{"ref": "component:default/a", "scorecards": {}}`,
	} {
		if _, err := ParseRecorded([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseRecorded([]byte(`{"ref": "component:default/a", "scorecards": [{"id": "x", "level": null, "error": "boom"}]}`)); err != nil {
		t.Errorf("a scorecard that failed to evaluate is a valid record: %v", err)
	}
}
