package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads the configuration: defaults, then the YAML file at path (an
// empty path or a missing file leaves the defaults), then the PORTICO_*
// variables that getenv returns (os.Getenv in production), then the App
// credentials saved in the data directory for whatever is still unset.
// The result is validated.
func Load(path string, getenv func(string) string) (*Config, error) {
	cfg := Default()
	if err := readFile(path, cfg); err != nil {
		return nil, err
	}
	if err := applyEnv(cfg, getenv); err != nil {
		return nil, err
	}
	if err := readPrivateKeyFile(&cfg.GitHub); err != nil {
		return nil, err
	}
	if err := mergeSavedCredentials(cfg); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func readFile(path string, cfg *Config) error {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	if err := decodeStrict(data, cfg); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

// decodeStrict decodes one YAML document into cfg, refusing unknown keys
// and a second document. yaml.v3's errors already name the line.
func decodeStrict(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(cfg)
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return cleanYAMLError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return fmt.Errorf("line %d: only one YAML document is allowed", extra.Line)
	}
	return nil
}

// cleanYAMLError turns yaml.v3's "yaml: unmarshal errors:\n  line 3: field
// x not found in type config.GitHub" into "line 3: unknown key x".
func cleanYAMLError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		if head, _, ok := strings.Cut(m, " not found in type "); ok {
			m = strings.Replace(head, "field ", "unknown key ", 1)
		}
		msgs[i] = m
	}
	return errors.New(strings.Join(msgs, "; "))
}

func readPrivateKeyFile(g *GitHub) error {
	if g.PrivateKeyFile == "" {
		return nil
	}
	if g.PrivateKey != "" {
		return errors.New("github: set private_key or private_key_file, not both")
	}
	data, err := os.ReadFile(g.PrivateKeyFile)
	if err != nil {
		// The error names the path only; the key is not read.
		return fmt.Errorf("github.private_key_file: %w", err)
	}
	g.PrivateKey = Secret(data)
	return nil
}
