package catalog

import (
	"sort"
	"strings"

	"github.com/portico-dev/portico/app/descriptor"
)

// Edge is one relation between two entities, drawn as written: From holds
// Field, which names To (From dependsOn To, From providesApis To, ...).
// Via, when set, is the provider of the API To through which a change
// reached From, a consumer: set only when the API itself is not in the
// catalog, so that the walk and the drawing still connect the two.
type Edge struct {
	From  descriptor.Ref
	Field string
	To    descriptor.Ref
	Via   descriptor.Ref
}

// edge is an Edge seen from the entity it affects when the other end
// changes.
type edge struct {
	affected string // key of the entity affected
	Edge
	// implemented marks an API reached because its provider changed:
	// what breaks is that implementation, so the API's other providers
	// are not affected.
	implemented bool
	// Keys built once at link time: the walk and the sort would
	// otherwise build them for every edge of every graph.
	toKey, sortKey, viaKey string
}

// newEdge is the edge along which a change to e's other end affects the
// entity affected.
func newEdge(affected string, e Edge, implemented bool) edge {
	ed := edge{affected: affected, Edge: e, implemented: implemented, toKey: Key(e.To)}
	ed.sortKey = Key(e.From) + "\x00" + ed.toKey + "\x00" + e.Field + "\x00"
	if e.Via != (descriptor.Ref{}) {
		ed.viaKey = Key(e.Via)
	}
	return ed
}

// reversed reports whether the entity affected is the one named (To)
// rather than the one that holds the relation (From).
func (e edge) reversed() bool { return e.affected == Key(e.To) && e.affected != Key(e.From) }

// blast says, for each relation field, which end is affected when the
// other changes. The holder of dependsOn, consumesApis, providesApis,
// subcomponentOf and system is affected when the entity it names changes:
// it depends on it, consumes or implements the API, is part of the
// component or belongs to the system. dependencyOf is dependsOn written
// from the other side, so the named entity is the one affected. An API is
// also affected when its provider changes, and so are its consumers (see
// linkConsumers).
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
			c.affects[changed] = append(c.affects[changed], newEdge(affected, e, false))
			if rel.Field == "spec.providesApis" {
				c.affects[affected] = append(c.affects[affected], newEdge(changed, e, true))
			}
		}
	}
	c.linkConsumers()
	for _, es := range c.affects {
		sort.Slice(es, func(i, j int) bool { return es[i].affected < es[j].affected })
	}
}

// linkConsumers makes the consumers of an API dependents of each of its
// providers: when the provider breaks, what calls its API breaks with it,
// whether or not the API itself is in the catalog. The walk stopped at
// the provider before, and pull request summaries under-reported.
func (c *Catalog) linkConsumers() {
	providers := map[string][]descriptor.Ref{}
	consumers := map[string][]Edge{}
	for _, r := range c.entities {
		for _, rel := range r.Relations {
			switch rel.Field {
			case "spec.providesApis":
				providers[Key(rel.Target)] = append(providers[Key(rel.Target)], r.Ref)
			case "spec.consumesApis":
				consumers[Key(rel.Target)] = append(consumers[Key(rel.Target)], Edge{From: r.Ref, Field: rel.Field, To: rel.Target})
			}
		}
	}
	for api, ps := range providers {
		for _, p := range ps {
			for _, e := range consumers[api] {
				if Key(e.From) == Key(p) {
					continue
				}
				e.Via = p
				c.affects[Key(p)] = append(c.affects[Key(p)], newEdge(Key(e.From), e, false))
			}
		}
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
	Roots    []descriptor.Ref // the changed entities, as given
	Nodes    []descriptor.Ref // every entity of the graph, roots first, then by key
	Edges    []Edge           // relations along which the change spreads, sorted
	edgeKeys []string         // the sort key of each of Edges, until order sorts them
	root     map[string]bool
	// tree is the first path found to each affected entity: for each
	// entity, the ones first reached from it, for the text rendering.
	tree map[string][]child
	refs map[string]descriptor.Ref
}

// Graph works out the blast radius of a change to refs, breadth first.
func (c *Catalog) Graph(refs ...descriptor.Ref) *Graph {
	g := &Graph{root: map[string]bool{}, tree: map[string][]child{}, refs: map[string]descriptor.Ref{}}
	var queue []visit
	for _, r := range refs {
		k := Key(r)
		if g.root[k] {
			continue
		}
		g.root[k] = true
		g.refs[k] = c.display(r)
		g.Roots = append(g.Roots, g.refs[k])
		queue = append(queue, visit{key: k, walk: walkAll})
	}
	// expanded is how far each entity's dependents were walked: an API
	// first reached through its provider, then as changed itself, is
	// walked again for its other providers.
	expanded := map[string]walk{}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if expanded[v.key] >= v.walk {
			continue
		}
		expanded[v.key] = v.walk
		for _, e := range c.affects[v.key] {
			if next, ok := g.follow(c, v, e); ok {
				queue = append(queue, next)
			}
		}
	}
	g.order()
	return g
}

// walk is how much of an entity's dependents a change reaches.
type walk uint8

const (
	walkNone        walk = iota
	walkImplemented      // an API whose provider changed: not its other providers
	walkAll
)

// visit is an entity to walk from, and how far.
type visit struct {
	key  string
	walk walk
}

// follow records the edge e from the entity v, and says whether the
// entity it affects is to be walked from next.
func (g *Graph) follow(c *Catalog, v visit, e edge) (visit, bool) {
	if _, ok := c.entities[e.affected]; !ok {
		return visit{}, false
	}
	if v.walk == walkImplemented && e.Field == "spec.providesApis" && !e.implemented {
		return visit{}, false // another provider of the API: unaffected
	}
	drawn, key := e.Edge, e.sortKey+e.viaKey
	if _, held := c.entities[e.toKey]; held {
		// The API is drawn: the relation says it all.
		drawn.Via, key = descriptor.Ref{}, e.sortKey
	}
	g.Edges = append(g.Edges, drawn)
	g.edgeKeys = append(g.edgeKeys, key)
	next := visit{key: e.affected, walk: walkAll}
	if e.implemented {
		next.walk = walkImplemented
	}
	if _, seen := g.refs[e.affected]; !seen {
		g.refs[e.affected] = c.entities[e.affected].Ref
		g.tree[v.key] = append(g.tree[v.key], child{key: e.affected, edge: e})
	}
	return next, true
}

// display is the reference as the catalog spells it, or r.
func (c *Catalog) display(r descriptor.Ref) descriptor.Ref {
	if rec, ok := c.entities[Key(r)]; ok {
		return rec.Ref
	}
	return r
}

// child is an entity first reached from another through an edge.
type child struct {
	key  string
	edge edge
}

// label says how a child relates to the entity it was reached from,
// from the child's side: "dependsOn resource:default/db", "provided by
// component:default/payments", "consumesApis api:default/payments-api,
// provided by component:default/payments", "resource:default/db names
// it in dependencyOf".
func (ch child) label() string {
	e := ch.edge
	field := strings.TrimPrefix(e.Field, "spec.")
	switch {
	case e.reversed() && e.Field == "spec.providesApis":
		return "provided by " + e.From.String()
	case e.reversed():
		return e.From.String() + " names it in " + field
	case e.Via != descriptor.Ref{}:
		return field + " " + e.To.String() + ", provided by " + e.Via.String()
	}
	return field + " " + e.To.String()
}

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
	g.sortEdges()
}

// sortEdges sorts the edges by their ends, field and provider (the keys
// follow built) and drops the repeats.
func (g *Graph) sortEdges() {
	idx := make([]int, len(g.Edges))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return g.edgeKeys[idx[a]] < g.edgeKeys[idx[b]] })
	out := make([]Edge, 0, len(idx))
	for i, j := range idx {
		if i > 0 && g.edgeKeys[j] == g.edgeKeys[idx[i-1]] {
			continue
		}
		out = append(out, g.Edges[j])
	}
	g.Edges, g.edgeKeys = out, nil
}
