// Package scorecard is the scorecard engine: entities and facts about
// their repositories in, levels and points out.
//
// A scorecard is a Rego package under portico.scorecards. that declares,
// in a constant `scorecard` object, its title, its levels in order, the
// entities it applies to and its rules, and that lists in the partial set
// `pass` the ids of the rules an entity passes (policies/README.md is the
// reference for authors). New refuses a malformed declaration with its
// file and line, compiles every scorecard once and prepares one query
// that evaluates them all; Score judges one entity with it.
//
// An entity reaches a level when no rule of that level or of a level
// below fails and the level has at least one rule that passed: a rule
// whose facts are unknown counts neither as passed nor as failed. Points
// are the weights of the passed rules, out of the weights of all rules.
// The engine never talks to GitHub: facts arrive as facts.Repository.
package scorecard
