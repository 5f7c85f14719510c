package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateWalkNothingAndSkeletons runs the binary on directories that
// hold no descriptor, only skeletons, or skeletons beside descriptors: it
// says what it skipped, and finding nothing to check is exit code 3.
func TestValidateWalkNothingAndSkeletons(t *testing.T) {
	t.Parallel()
	const good = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g, description: d}\nspec: {type: team, children: []}\n"
	const skeleton = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${{ values.owner }}\n"
	cases := []struct {
		name     string
		files    map[string]string
		code     int
		stderr   []string
		noStderr string
	}{
		{"empty directory", map[string]string{"README.md": "# nothing here\n"}, 3,
			[]string{"no descriptor to check in"}, "skeleton"},
		{"skeletons only", map[string]string{"skeleton/catalog-info.yaml": skeleton}, 3,
			[]string{"skipped 1 template skeleton file(s)", "no descriptor to check in"}, ""},
		{"skeleton beside a descriptor", map[string]string{"catalog-info.yaml": good, "templates/svc/skeleton/catalog-info.yaml": skeleton}, 0,
			[]string{"skipped 1 template skeleton file(s)"}, "no descriptor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for p, content := range c.files {
				full := filepath.Join(dir, p)
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, errOut, code := run(t, "", nil, "validate", "--backstage-only", dir)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			for _, s := range c.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if c.noStderr != "" && strings.Contains(errOut, c.noStderr) {
				t.Errorf("stderr has %q:\n%s", c.noStderr, errOut)
			}
			if strings.Contains(out, "values.name") {
				t.Errorf("a skeleton was reported:\n%s", out)
			}
		})
	}
}
