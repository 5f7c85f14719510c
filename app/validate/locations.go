package validate

import "github.com/portico-dev/portico/app/descriptor"

// Locations gives the scope of the Location entities of the file shown
// as path: its repository, organisation and the hosts allowed.
type Locations func(path string) descriptor.LocationScope

// WithLocations returns a copy of c that reports each Location target
// outside the scope l gives for its file (descriptor.CheckLocation).
func (c *Checker) WithLocations(l Locations) *Checker {
	cc := *c
	cc.locations = l
	return &cc
}

// checkLocations adds the Location target findings of one file.
func (c *Checker) checkLocations(path string, docs []*descriptor.Document) {
	if c.locations == nil {
		return
	}
	var scope *descriptor.LocationScope
	for _, d := range docs {
		if d.Root == nil || d.Kind() != "Location" {
			continue
		}
		if scope == nil {
			s := c.locations(path)
			scope = &s
		}
		d.Findings = append(d.Findings, descriptor.CheckLocation(d, *scope)...)
	}
}
