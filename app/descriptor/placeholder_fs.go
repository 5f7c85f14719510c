package descriptor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// FSFiles reads placeholders' files from a repository's tree. Given
// os.Root.FS, symbolic links cannot lead out of the tree either.
type FSFiles struct{ FS fs.FS }

// ReadFile reads at most max+1 bytes of name. Every failure but a missing
// file is reported as fs.ErrInvalid: on a local tree it is a problem of
// the descriptor, not one to retry.
func (f FSFiles) ReadFile(ctx context.Context, name string, max int64) ([]byte, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, 0, invalid(err)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, 0, invalid(err)
	}
	if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%w: %s is not a file", fs.ErrInvalid, name)
	}
	data, err := io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, 0, invalid(err)
	}
	return data, st.Size(), nil
}

func invalid(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return fmt.Errorf("%w: %w", fs.ErrInvalid, err)
}
