package scorecard

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portico-dev/portico/app/descriptor"
	"github.com/portico-dev/portico/app/facts"
	"github.com/portico-dev/portico/app/policy"
)

// Input is what a scorecard judges: one entity, the facts of its
// repository and, when there is one, the central catalog.
type Input struct {
	Entity  *descriptor.Document
	Repo    *Repo    // nil: nothing is known about the repository
	Catalog *Catalog // nil: no catalog to resolve references against
}

// Repo is a repository's facts converted to Rego once, then shared by
// every entity the repository declares: a large tree is converted once,
// not once per entity.
type Repo struct {
	facts facts.Repository
	value *ast.Term
}

// NewRepo prepares r for scoring. It shows as input.repository, the
// facts it does not know left out and listed in input.repository.unknown.
func NewRepo(r facts.Repository) *Repo {
	pairs := [][2]*ast.Term{
		{ast.StringTerm("name"), ast.StringTerm(r.Name)},
		{ast.StringTerm("commit"), ast.StringTerm(r.Commit)},
	}
	add := func(f facts.Fact, v *ast.Term) {
		if r.Known(f) {
			pairs = append(pairs, [2]*ast.Term{ast.StringTerm(string(f)), v})
		}
	}
	add(facts.Files, strings2Array(r.Files))
	add(facts.DefaultBranch, ast.StringTerm(r.DefaultBranch))
	add(facts.Protected, ast.BooleanTerm(r.Protected))
	add(facts.Languages, strings2Array(r.Languages))
	unknown := make([]*ast.Term, 0, len(r.Unknown))
	for _, f := range r.Unknown {
		unknown = append(unknown, ast.StringTerm(string(f)))
	}
	pairs = append(pairs, [2]*ast.Term{ast.StringTerm("unknown"), ast.ArrayTerm(unknown...)})
	return &Repo{facts: r, value: ast.ObjectTerm(pairs...)}
}

// Facts returns the facts r was made from.
func (r *Repo) Facts() facts.Repository { return r.facts }

func strings2Array(ss []string) *ast.Term {
	ts := make([]*ast.Term, len(ss))
	for i, s := range ss {
		ts[i] = ast.StringTerm(s)
	}
	return ast.ArrayTerm(ts...)
}

// nothing is the Repo of a descriptor in no known repository.
var nothing = NewRepo(facts.Nothing(""))

// Catalog is what scorecards know of the central catalog: its groups,
// so that a bare owner name counts as a group only when the catalog has
// that group.
type Catalog struct{ value *ast.Term }

// NewCatalog prepares the catalog's groups. It shows as
// input.catalog.groups, a set of lower-cased references
// ("group:default/team-a").
func NewCatalog(groups []descriptor.Ref) *Catalog {
	ts := make([]*ast.Term, len(groups))
	for i, g := range groups {
		ts[i] = ast.StringTerm(g.String())
	}
	return &Catalog{value: ast.ObjectTerm([2]*ast.Term{ast.StringTerm("groups"), ast.SetTerm(ts...)})}
}

var (
	entityKey     = ast.StringTerm("entity")
	repositoryKey = ast.StringTerm("repository")
	catalogKey    = ast.StringTerm("catalog")
)

// value is the Rego input: {"entity": ..., "repository": ..., "catalog": ...}.
func (in Input) value() ast.Value {
	repo := in.Repo
	if repo == nil {
		repo = nothing
	}
	pairs := [][2]*ast.Term{
		{entityKey, ast.NewTerm(policy.EntityValue(in.Entity.Root))},
		{repositoryKey, repo.value},
	}
	if in.Catalog != nil {
		pairs = append(pairs, [2]*ast.Term{catalogKey, in.Catalog.value})
	}
	return ast.NewObject(pairs...)
}
