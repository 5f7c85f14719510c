package terraform

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
)

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// neverPassed are names no allow-list lets through: portico's own
// settings and the tokens it or a CI holds.
var neverPassed = []string{"PORTICO_", "GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"}

// managed are the names the runner sets itself.
var managed = []string{"PATH", "HOME", "TF_PLUGIN_CACHE_DIR", "TF_DATA_DIR", "CHECKPOINT_DISABLE"}

// CheckEnvNames reports the names of an allow-list that may not pass:
// malformed ones, portico's own (PORTICO_*), tokens, names the runner sets
// and names terraform-exec manages (TF_VAR_*, TF_CLI_ARGS*, TF_LOG...).
func CheckEnvNames(names []string) error {
	for _, n := range names {
		if !envName.MatchString(n) {
			return fmt.Errorf("%q is not an environment variable name", n)
		}
		up := strings.ToUpper(n)
		for _, p := range neverPassed {
			if up == p || (strings.HasSuffix(p, "_") && strings.HasPrefix(up, p)) {
				return fmt.Errorf("%s never reaches Terraform: it is portico's own or a token", n)
			}
		}
		for _, m := range managed {
			if up == m {
				return fmt.Errorf("%s is set by the runner", n)
			}
		}
		if len(tfexec.ProhibitedEnv(map[string]string{n: ""})) > 0 {
			return fmt.Errorf("%s is managed by terraform-exec", n)
		}
	}
	return nil
}

// environ is the whole environment Terraform runs with (terraform-exec
// adds TF_IN_AUTOMATION=1 and blanks TF_LOG*).
func (r *Runner) environ(dataDir string) map[string]string {
	env := map[string]string{
		"PATH":                r.cfg.Getenv("PATH"),
		"HOME":                filepath.Join(r.root, "home"),
		"TF_PLUGIN_CACHE_DIR": filepath.Join(r.root, "plugin-cache"),
		"TF_DATA_DIR":         dataDir,
		"CHECKPOINT_DISABLE":  "1",
	}
	if env["PATH"] == "" {
		env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
	}
	for _, n := range r.cfg.Env {
		if v := r.cfg.Getenv(n); v != "" {
			env[n] = v
		}
	}
	return env
}
