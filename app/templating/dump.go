package templating

import (
	"bytes"
	"fmt"

	"github.com/portico-dev/portico/app/tree"
)

// DumpTree writes a tree as one text: each file's path and mode on a
// "==" line, then its content. Golden files of rendered trees use it.
func DumpTree(t tree.Tree) []byte {
	var b bytes.Buffer
	for _, p := range t.Paths() {
		f := t[p]
		fmt.Fprintf(&b, "== %s (%s)\n", p, f.Mode)
		b.Write(f.Data)
		if len(f.Data) > 0 && f.Data[len(f.Data)-1] != '\n' {
			b.WriteString("\n== (no final newline)\n")
		}
	}
	return b.Bytes()
}
