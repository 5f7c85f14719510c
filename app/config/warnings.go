package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// Warnings lists settings that work but are dangerous. The server logs
// each at WARN on start-up.
func (c *Config) Warnings() []string {
	var w []string
	if c.InsecureSkipSignature {
		w = append(w, "INSECURE: insecure_skip_signature is on: webhook signatures are NOT checked "+
			"and anyone who can reach /webhooks can forge GitHub events. Never use this outside development.")
	}
	for _, path := range c.keyFiles() {
		if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
			w = append(w, fmt.Sprintf("private key %s is readable by others (mode %04o); chmod 600 it", path, info.Mode().Perm()))
		}
	}
	return w
}

func (c *Config) keyFiles() []string {
	files := []string{filepath.Join(c.DataDir, PrivateKeyFile)}
	if c.GitHub.PrivateKeyFile != "" {
		files = append(files, c.GitHub.PrivateKeyFile)
	}
	return files
}
