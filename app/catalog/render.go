package catalog

import (
	"fmt"
	"strings"

	"github.com/portico-dev/portico/app/descriptor"
)

// Formats of a rendered Graph.
const (
	FormatText    = "text"
	FormatMermaid = "mermaid"
	FormatDOT     = "dot"
)

// MaxBlastNodes is the most entities the blast radius section draws.
const MaxBlastNodes = 50

// Render renders the graph in format: FormatText, FormatMermaid or
// FormatDOT.
func (g *Graph) Render(format string) (string, error) {
	switch format {
	case FormatText:
		return g.Text(), nil
	case FormatMermaid:
		return g.Mermaid(0), nil
	case FormatDOT:
		return g.DOT(), nil
	}
	return "", fmt.Errorf("unknown graph format %q (text, mermaid or dot)", format)
}

// Text renders the graph as an indented tree: each changed entity, and
// under each entity those first reached from it, with the relation that
// led there, read from the entity listed (see child.label). An entity
// reached again elsewhere is listed once.
func (g *Graph) Text() string {
	var b strings.Builder
	for _, r := range g.Roots {
		b.WriteString(r.String() + "\n")
		g.textChildren(&b, Key(r), 1)
	}
	return b.String()
}

func (g *Graph) textChildren(b *strings.Builder, k string, depth int) {
	for _, c := range g.tree[k] {
		fmt.Fprintf(b, "%s%s  (%s)\n", strings.Repeat("  ", depth), g.refs[c.key], c.label())
		g.textChildren(b, c.key, depth+1)
	}
}

// Mermaid renders the graph as a Mermaid flowchart, the changed entities
// highlighted. Each edge reads as the relation: A -->|dependsOn| B. With
// maxNodes > 0 only the first maxNodes nodes (changed entities first) and
// the edges between them are drawn.
func (g *Graph) Mermaid(maxNodes int) string {
	nodes := g.Nodes
	if maxNodes > 0 && len(nodes) > maxNodes {
		nodes = nodes[:maxNodes]
	}
	id := make(map[string]string, len(nodes))
	var b strings.Builder
	b.WriteString("graph LR\n")
	for i, n := range nodes {
		id[Key(n)] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(&b, "  n%d[\"%s\"]\n", i, mermaidEscape(n.String()))
	}
	for _, e := range g.Edges {
		target, label := e.drawn()
		from, ok1 := id[Key(e.From)]
		to, ok2 := id[Key(target)]
		if ok1 && ok2 {
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", from, mermaidEscape(label), to)
		}
	}
	if len(g.Roots) > 0 {
		b.WriteString("  classDef changed fill:#fde2e1,stroke:#d1242f\n  class ")
		for i := range g.Roots {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(id[Key(g.Roots[i])])
		}
		b.WriteString(" changed\n")
	}
	return b.String()
}

// drawn is where an edge's arrow points and its label: the relation as
// written, or, for a consumer reached through an API the catalog does not
// hold, an arrow to the API's provider labelled with the relation and the
// API.
func (e Edge) drawn() (descriptor.Ref, string) {
	field := strings.TrimPrefix(e.Field, "spec.")
	if e.Via != (descriptor.Ref{}) {
		return e.Via, field + " " + e.To.String()
	}
	return e.To, field
}

// mermaidEscape makes text safe inside a quoted Mermaid label, using
// Mermaid's entity codes for the characters that would end or break it.
func mermaidEscape(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "|", "#124;", "\n", " ").Replace(s)
}

// DOT renders the graph for Graphviz, the changed entities filled.
func (g *Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph blast_radius {\n  rankdir=LR;\n  node [shape=box];\n")
	for _, n := range g.Nodes {
		attr := ""
		if g.root[Key(n)] {
			attr = " [style=filled, fillcolor=\"#fde2e1\"]"
		}
		fmt.Fprintf(&b, "  %s%s;\n", dotQuote(n.String()), attr)
	}
	for _, e := range g.Edges {
		target, label := e.drawn()
		fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", dotQuote(e.From.String()), dotQuote(target.String()), dotQuote(label))
	}
	b.WriteString("}\n")
	return b.String()
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// BlastRadius is a Markdown section for a pull request check's summary:
// the entities affected by a change to changed, with a Mermaid graph of at
// most MaxBlastNodes entities, the rest counted.
func (c *Catalog) BlastRadius(changed []descriptor.Ref) string {
	g := c.Graph(changed...)
	affected := len(g.Nodes) - len(g.Roots)
	var b strings.Builder
	b.WriteString("### Blast radius\n\n")
	if affected == 0 {
		b.WriteString("No catalog entity depends on what this change touches.\n")
		return b.String()
	}
	noun := "entities depend"
	if affected == 1 {
		noun = "entity depends"
	}
	fmt.Fprintf(&b, "%d catalog %s on what this change touches.\n\n```mermaid\n%s```\n", affected, noun, g.Mermaid(MaxBlastNodes))
	if more := len(g.Nodes) - MaxBlastNodes; more > 0 {
		fmt.Fprintf(&b, "\n… and %d more: `portico catalog graph` lists them all.\n", more)
	}
	return b.String()
}
