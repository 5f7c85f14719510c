package catalog

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// indexEntry is what the index of a source records about one entity it
// declares: the file it came from and the digest of its content.
type indexEntry struct {
	sourcePath string
	digest     string
}

// sourceIndex maps the catalog paths of a source's entities to what it
// recorded about them. It lives in the repository, one small file per
// source, so that a sync reads what belongs to its source only and a
// restarted (or later, remote) writer needs no state of its own.
type sourceIndex map[string]indexEntry

// encode writes one line per entity, sorted: catalog path, quoted source
// path, digest, separated by tabs.
func (ix sourceIndex) encode() []byte {
	paths := make([]string, 0, len(ix))
	for p := range ix {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	for _, p := range paths {
		e := ix[p]
		fmt.Fprintf(&b, "%s\t%s\t%s\n", p, strconv.Quote(e.sourcePath), e.digest)
	}
	return b.Bytes()
}

func decodeIndex(data []byte) (sourceIndex, error) {
	ix := sourceIndex{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 {
			return nil, fmt.Errorf("decode index: malformed line %q", sc.Text())
		}
		src, err := strconv.Unquote(fields[1])
		if err != nil {
			return nil, fmt.Errorf("decode index: source path %s: %w", fields[1], err)
		}
		ix[fields[0]] = indexEntry{sourcePath: src, digest: fields[2]}
	}
	return ix, sc.Err()
}
