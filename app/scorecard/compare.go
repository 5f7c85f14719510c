package scorecard

import (
	"cmp"
	"slices"
)

// Change is what a change does to one scorecard's verdict on one entity,
// for a pull request check that scores base and head.
type Change struct {
	ID     string
	Base   *Result      // nil: the scorecard did not judge the entity at base
	Head   *Result      // nil: it does not at head (the entity went, or no longer matches)
	Broken []RuleResult // passed at base, failed at head (as at head)
	Fixed  []RuleResult // failed at base, passed at head (as at head)
}

// Moved reports whether the level or the points differ between base and
// head, or the scorecard judges the entity on one side only.
func (c Change) Moved() bool {
	if c.Base == nil || c.Head == nil {
		return c.Base != c.Head
	}
	return c.Base.Level != c.Head.Level || c.Base.Points != c.Head.Points || (c.Base.Err == nil) != (c.Head.Err == nil)
}

// Compare pairs the results of base and head by scorecard id, ordered by
// id, and lists the rules the change broke and fixed. A rule that turns
// unknown, or known, is neither: its facts changed, not the entity.
func Compare(base, head []Result) []Change {
	byID := map[string]*Change{}
	get := func(id string) *Change {
		if byID[id] == nil {
			byID[id] = &Change{ID: id}
		}
		return byID[id]
	}
	for i := range base {
		get(base[i].ID).Base = &base[i]
	}
	for i := range head {
		get(head[i].ID).Head = &head[i]
	}
	out := make([]Change, 0, len(byID))
	for _, c := range byID {
		if c.Base != nil && c.Head != nil {
			c.Broken, c.Fixed = flips(c.Base.Rules, c.Head.Rules)
		}
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Change) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// flips lists the rules that went from passed to failed and back.
func flips(base, head []RuleResult) (broken, fixed []RuleResult) {
	was := make(map[string]Status, len(base))
	for _, r := range base {
		was[r.ID] = r.Status
	}
	for _, r := range head {
		switch {
		case was[r.ID] == Passed && r.Status == Failed:
			broken = append(broken, r)
		case was[r.ID] == Failed && r.Status == Passed:
			fixed = append(fixed, r)
		}
	}
	return broken, fixed
}
