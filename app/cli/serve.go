package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/portico-dev/portico/app/config"
	"github.com/portico-dev/portico/app/server"
)

// defaultConfigFile is read when present and --config is not given.
const defaultConfigFile = "portico.yaml"

func runServeCmd(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("serve", "serve [--config FILE]   (environment: PORTICO_*; see the README)", stdio.Err)
	path := fs.String("config", "", "configuration file (default: portico.yaml when it exists)")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return ExitUsage, err
	}
	if len(rest) > 0 {
		return ExitUsage, usagef("serve takes no arguments")
	}
	cfg, err := loadServeConfig(*path, stdio.Getenv)
	if err != nil {
		return ExitUsage, err
	}
	log := newLogger(stdio, cfg.LogLevel)
	slog.SetDefault(log) // libraries that log through the default logger log JSON too
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("portico stopped", "error", err)
		return ExitFindings, nil
	}
	return ExitOK, nil
}

func loadServeConfig(path string, getenv func(string) string) (*config.Config, error) {
	if path == "" {
		if _, err := os.Stat(defaultConfigFile); err == nil {
			path = defaultConfigFile
		}
	}
	cfg, err := config.Load(path, getenv)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv, err := server.New(ctx, cfg, log)
	if err != nil {
		ln.Close()
		return err
	}
	return srv.Run(ctx, ln)
}

// newLogger writes JSON logs to stderr at the configured level.
func newLogger(stdio IO, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(stdio.Err, &slog.HandlerOptions{Level: l}))
}
