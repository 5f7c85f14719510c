// Package terraform runs Terraform (or OpenTofu) modules for workspaces:
// an engine free of GitHub over terraform-exec. Each workspace has a
// working directory and a local state under the data directory; a run
// copies the module in, then inits, plans to a saved plan file and applies
// that plan (or destroys), and reads the outputs as JSON.
//
// Terraform gets a minimal environment (PATH, its own HOME, the plugin
// cache and the operator's allow-listed names: never portico's key or
// tokens), a timeout (interrupt, then kill after a grace period), and
// bounded, redacted logs. Runs of one workspace never overlap; a run left
// behind by a crash is recognised by its record and its lock released.
package terraform
