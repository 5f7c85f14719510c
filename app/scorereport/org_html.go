package scorereport

import (
	"html/template"
	"io"
)

// The page is standalone: inline CSS and SVG, no script, nothing fetched.
// html/template escapes every owner, rule id and title, which come from
// the catalog's files, in the context they land in (text, attribute,
// SVG).
var orgPage = template.Must(template.New("org").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scorecards</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: left; }
td.n { text-align: right; }
svg text { font-size: 13px; fill: #1f2328; }
</style>
</head>
<body>
<h1>Scorecards</h1>
<p>{{.Entities}} entities scored{{with .Commit}} (central catalog at <code>{{.}}</code>){{end}}.</p>
{{range .Cards}}{{$c := .}}
<section>
<h2>{{.Title}} <small>({{.ID}})</small></h2>
<p>{{.Entities}} entities.</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" role="img" aria-label="entities per level of {{.ID}}">
{{range .Bars}}<text x="0" y="{{.TextY}}">{{.Level}}</text>
<rect x="{{$c.LabelWidth}}" y="{{.Y}}" width="{{.W}}" height="{{$c.BarHeight}}" fill="{{.Fill}}"><title>{{.Level}}: {{.N}}</title></rect>
<text x="{{.CountX}}" y="{{.TextY}}">{{.N}}</text>
{{end}}</svg>
<table>
<tr><th>owner</th><th>entities</th>{{range .Rows}}<th>{{.}}</th>{{end}}</tr>
{{range .Owners}}<tr><td>{{.Owner}}</td><td class="n">{{.Entities}}</td>{{range .Counts}}<td class="n">{{.}}</td>{{end}}</tr>
{{end}}</table>
{{with .Failed}}<table>
<tr><th>most-failed rule</th><th>level</th><th>entities failing</th></tr>
{{range .}}<tr><td>{{.Title}} ({{.ID}})</td><td>{{.Level}}</td><td class="n">{{.Failed}}</td></tr>
{{end}}</table>{{end}}
</section>
{{end}}
{{with .Problems}}<h2>Score files not counted</h2>
<ul>
{{range .}}<li><code>{{.Path}}</code>: {{.Err}}</li>
{{end}}</ul>{{end}}
</body>
</html>
`))

// Chart geometry, in SVG user units.
const (
	chartLabelWidth = 90
	chartBarMax     = 400
	chartBarHeight  = 20
	chartRowStep    = 28
)

type htmlPage struct {
	Entities int
	Commit   string
	Cards    []htmlCard
	Problems []Problem
}

type htmlCard struct {
	ID, Title     string
	Entities      int
	Width, Height int
	Bars          []htmlBar
	Rows          []string
	Owners        []htmlOwner
	Failed        []FailedRule
	LabelWidth    int
	BarHeight     int
}

type htmlBar struct {
	Level                  string
	N, Y, W, TextY, CountX int
	Fill                   string
}

type htmlOwner struct {
	Owner    string
	Entities int
	Counts   []int
}

func writeOrgHTML(w io.Writer, o Org) error {
	page := htmlPage{Entities: o.Entities, Commit: o.Commit, Problems: o.Problems}
	for _, c := range o.Scorecards {
		page.Cards = append(page.Cards, htmlCardOf(c))
	}
	return orgPage.Execute(w, page)
}

func htmlCardOf(c OrgScorecard) htmlCard {
	rows := c.Rows()
	hc := htmlCard{ID: c.ID, Title: c.Title, Entities: c.Entities, Rows: rows, Failed: c.topFailed(),
		LabelWidth: chartLabelWidth, BarHeight: chartBarHeight,
		Width: chartLabelWidth + chartBarMax + 50, Height: len(rows)*chartRowStep + 4}
	for i, l := range rows {
		n := c.ByLevel[l]
		bw := 0
		if c.Entities > 0 {
			bw = n * chartBarMax / c.Entities
		}
		y := i*chartRowStep + 2
		hc.Bars = append(hc.Bars, htmlBar{Level: l, N: n, Y: y, W: bw, TextY: y + 15, CountX: chartLabelWidth + bw + 6, Fill: barFill(l)})
	}
	for _, ol := range c.ByOwner {
		ho := htmlOwner{Owner: ownerName(ol.Owner), Entities: ol.Entities}
		for _, l := range rows {
			ho.Counts = append(ho.Counts, ol.ByLevel[l])
		}
		hc.Owners = append(hc.Owners, ho)
	}
	return hc
}

// barFill colours the levels people know by their colours; any other
// level is blue.
func barFill(level string) string {
	switch level {
	case "gold":
		return "#d4a017"
	case "silver":
		return "#a8a9ad"
	case "bronze":
		return "#cd7f32"
	case "none":
		return "#d0d7de"
	case ErrorLevel:
		return "#cf222e"
	}
	return "#0969da"
}
