package validate

import (
	"context"
	"io"
)

// Walk calls fn with every descriptor file that args name, as Run finds
// them (files, directories walked for descriptor names and globs, "-"
// for standard input), in the same stable order. walkErr is an error
// about that path (it does not exist, a directory cannot be read); fn
// decides what to make of it. Walk stops at the first error fn returns.
// Other commands over descriptors, such as `portico score`, take their
// paths exactly as `portico validate` does through it.
func Walk(ctx context.Context, args, globs []string, fn func(path string, walkErr error) error) error {
	m, err := NewMatcher(globs)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	inputs := make(chan input)
	go walk(ctx, args, m, inputs)
	for in := range inputs {
		if err := fn(in.path, in.err); err != nil {
			cancel()
			for range inputs {
			}
			return err
		}
	}
	return ctx.Err()
}

// ReadFile reads one input as Run does: a file, or stdin for "-",
// refused before it is read when larger than maxBytes (<= 0:
// descriptor.DefaultMaxBytes).
func ReadFile(path string, stdin io.Reader, maxBytes int64) ([]byte, error) {
	return NewChecker(nil, maxBytes).read(path, stdin)
}
