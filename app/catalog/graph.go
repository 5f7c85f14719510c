package catalog

import (
	"sort"

	"github.com/portico-dev/portico/app/descriptor"
)

// Edge is one relation between two entities, drawn as written: From holds
// Field, which names To (From dependsOn To, From providesApis To, ...).
type Edge struct {
	From  descriptor.Ref
	Field string
	To    descriptor.Ref
}

// edge is an Edge seen from the entity it affects when the other end
// changes.
type edge struct {
	affected string // key of the entity affected
	Edge
}

// blast says, for each relation field, which end is affected when the
// other changes. The holder of dependsOn, consumesApis, providesApis,
// subcomponentOf and system is affected when the entity it names changes:
// it depends on it, consumes or implements the API, is part of the
// component or belongs to the system. dependencyOf is dependsOn written
// from the other side, so the named entity is the one affected.
var blast = map[string]bool{ // field -> the holder (From) is affected
	"spec.dependsOn":      true,
	"spec.consumesApis":   true,
	"spec.providesApis":   true,
	"spec.subcomponentOf": true,
	"spec.system":         true,
	"spec.dependencyOf":   false,
}

// link builds the reverse index that Dependents walks.
func (c *Catalog) link() {
	for _, r := range c.entities {
		for _, rel := range r.Relations {
			holderAffected, ok := blast[rel.Field]
			if !ok {
				continue
			}
			e := Edge{From: r.Ref, Field: rel.Field, To: rel.Target}
			changed, affected := Key(rel.Target), Key(r.Ref)
			if !holderAffected {
				changed, affected = affected, changed
			}
			c.affects[changed] = append(c.affects[changed], edge{affected: affected, Edge: e})
		}
	}
	for _, es := range c.affects {
		sort.Slice(es, func(i, j int) bool { return es[i].affected < es[j].affected })
	}
}

// Dependents lists the entities affected, transitively, when the given
// ones change: those that depend on them or consume them (dependsOn,
// dependencyOf), consume or provide an API among them, are subcomponents of
// them, or belong to a System among them. The given entities are left out;
// the result is sorted by key. Only entities the catalog holds are listed.
func (c *Catalog) Dependents(refs ...descriptor.Ref) []descriptor.Ref {
	g := c.Graph(refs...)
	var out []descriptor.Ref
	for _, n := range g.Nodes {
		if !g.root[Key(n)] {
			out = append(out, n)
		}
	}
	return out
}

// Graph is the blast radius of a change: the changed entities, those
// affected, and the relations that connect them.
type Graph struct {
	Roots []descriptor.Ref // the changed entities, as given
	Nodes []descriptor.Ref // every entity of the graph, roots first, then by key
	Edges []Edge           // relations along which the change spreads, sorted
	root  map[string]bool
	// tree is the first path found to each affected entity: for each
	// entity, the ones first reached from it, for the text rendering.
	tree map[string][]child
	refs map[string]descriptor.Ref
}

// Graph works out the blast radius of a change to refs, breadth first.
func (c *Catalog) Graph(refs ...descriptor.Ref) *Graph {
	g := &Graph{root: map[string]bool{}, tree: map[string][]child{}, refs: map[string]descriptor.Ref{}}
	var queue []string
	for _, r := range refs {
		k := Key(r)
		if g.root[k] {
			continue
		}
		g.root[k] = true
		g.refs[k] = c.display(r)
		g.Roots = append(g.Roots, g.refs[k])
		queue = append(queue, k)
	}
	seen := map[string]bool{}
	for k := range g.root {
		seen[k] = true
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, e := range c.affects[k] {
			if _, ok := c.entities[e.affected]; !ok {
				continue
			}
			g.Edges = append(g.Edges, e.Edge)
			if seen[e.affected] {
				continue
			}
			seen[e.affected] = true
			g.refs[e.affected] = c.entities[e.affected].Ref
			g.tree[k] = append(g.tree[k], child{key: e.affected, field: e.Field})
			queue = append(queue, e.affected)
		}
	}
	g.order()
	return g
}

// display is the reference as the catalog spells it, or r.
func (c *Catalog) display(r descriptor.Ref) descriptor.Ref {
	if rec, ok := c.entities[Key(r)]; ok {
		return rec.Ref
	}
	return r
}

// child is an entity first reached from another through field.
type child struct{ key, field string }

func (g *Graph) order() {
	g.Nodes = append(g.Nodes, g.Roots...)
	var rest []string
	for k := range g.refs {
		if !g.root[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		g.Nodes = append(g.Nodes, g.refs[k])
	}
	sort.Slice(g.Edges, func(i, j int) bool {
		a, b := g.Edges[i], g.Edges[j]
		if Key(a.From) != Key(b.From) {
			return Key(a.From) < Key(b.From)
		}
		if Key(a.To) != Key(b.To) {
			return Key(a.To) < Key(b.To)
		}
		return a.Field < b.Field
	})
	g.Edges = dedupe(g.Edges)
}

func dedupe(es []Edge) []Edge {
	out := es[:0]
	for i, e := range es {
		if i > 0 && Key(e.From) == Key(es[i-1].From) && Key(e.To) == Key(es[i-1].To) && e.Field == es[i-1].Field {
			continue
		}
		out = append(out, e)
	}
	return out
}
