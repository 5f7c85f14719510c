package descriptor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostile inputs seed the fuzzer next to the parity corpus.
var hostile = []string{
	"",
	"\ufeff",
	"---\n...\n---\n",
	"a: &a [*a]\n",
	"a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
	"? [a, &x b]\n: *x\n",
	"%YAML 1.1\n---\nkind: x\n",
	"%YAML\n",
	"a: !!timestamp x\n",
	"a: ! \n",
	"a: !\n",
	"metadata:\n  links: [{url: 'http://[::1'}]\n",
	"spec: {dependencyOf: [{kind: {a: 1}, name: [1]}]}\nkind: Component\n",
	"kind: Component\nspec: {owner: ':/:'}\n",
	strings.Repeat("[", 1000),
	strings.Repeat("a:\n ", 200) + "b\n",
	"\x00\xff",
}

// FuzzParseValidate checks that no input makes Parse or Validate panic,
// that every finding is located and explained, and that validity means the
// absence of error findings.
func FuzzParseValidate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(repoRoot, "testdata/parity/*/*.yaml"))
	more, _ := filepath.Glob(filepath.Join(repoRoot, "testdata/parity/*/*/*.yaml"))
	for _, p := range append(files, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range hostile {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pf := parseValidate(data)
		checkFindings(t, pf.Findings)
		for _, d := range pf.Documents {
			checkFindings(t, d.Findings)
			hasError := false
			for _, fd := range d.Findings {
				hasError = hasError || fd.Severity == SeverityError
			}
			if d.Valid() == hasError {
				t.Errorf("doc %d: Valid() = %v with findings %v", d.Index, d.Valid(), d.Findings)
			}
			References(d)
		}
	})
}

func checkFindings(t *testing.T, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		if f.Line < 1 || f.Column < 1 || f.Rule == "" || f.Message == "" {
			t.Errorf("finding not located or explained: %+v", f)
		}
	}
}
