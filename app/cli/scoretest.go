package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/portico-dev/portico/app/policy"
	"github.com/portico-dev/portico/policies"
)

// runBundleTests runs the Rego tests of the policies in fsys and then of
// the scorecards beside them: the embedded ones for the embedded bundle,
// DIR/scorecards for DIR. The policy engine leaves scorecards/ out, so
// without this `portico policy test DIR` would skip their tests. A
// directory of scorecards alone has tests to run even with no policy.
func runBundleTests(ctx context.Context, dir string, fsys fs.FS, w io.Writer, allow []string) (passed, failed int, err error) {
	passed, failed, err = policy.RunTests(ctx, fsys, w, policy.AllowTestBuiltins(allow...))
	cards, ok := scorecardsBeside(dir)
	if !ok || (err != nil && !errors.Is(err, policy.ErrNoPolicies)) {
		return passed, failed, err
	}
	p, f, cerr := policy.RunTests(ctx, cards, w, policy.AllowTestBuiltins(allow...))
	if cerr != nil {
		return 0, 0, fmt.Errorf("scorecards: %w", cerr)
	}
	return passed + p, failed + f, nil
}

// scorecardsBeside is the scorecards directory of the bundle in dir.
func scorecardsBeside(dir string) (fs.FS, bool) {
	if dir == "" {
		return policies.ScorecardsFS, true
	}
	p := filepath.Join(dir, policy.ScorecardsDir)
	if st, err := os.Stat(p); err != nil || !st.IsDir() {
		return nil, false
	}
	return os.DirFS(p), true
}
