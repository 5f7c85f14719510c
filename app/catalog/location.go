package catalog

import (
	"bufio"
	"bytes"
	"sort"
	"strings"
)

// LocationFile is the Backstage Location at the root of the repository
// that lists every entity file, so that Backstage can register the
// repository as is.
const LocationFile = "catalog-info.yaml"

const (
	locationHeader = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: portico-catalog
  description: Every entity recorded by portico, one file each.
spec:
`
	targetPrefix = "    - ./"
)

// renderLocation writes the Location for the given entity paths. The
// paths are safe to write unquoted: EntityPath allows no YAML syntax.
func renderLocation(paths []string) []byte {
	sort.Strings(paths)
	var b bytes.Buffer
	b.WriteString(locationHeader)
	if len(paths) == 0 {
		b.WriteString("  targets: []\n")
		return b.Bytes()
	}
	b.WriteString("  targets:\n")
	for _, p := range paths {
		b.WriteString(targetPrefix + p + "\n")
	}
	return b.Bytes()
}

// locationTargets reads back the entity paths of a Location that
// renderLocation wrote.
func locationTargets(data []byte) map[string]bool {
	targets := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if p, ok := strings.CutPrefix(sc.Text(), targetPrefix); ok {
			targets[p] = true
		}
	}
	return targets
}
