package policies

import (
	"embed"
	"io/fs"
)

//go:embed scorecards/*.rego
var scorecards embed.FS

// ScorecardsFS holds the default scorecards (scorecards/*.rego) and
// their *_test.rego unit tests, at the root of the file system. An
// organisation replaces them with the scorecards/ directory of its own
// policies.
var ScorecardsFS = func() fs.FS {
	sub, err := fs.Sub(scorecards, "scorecards")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}()
