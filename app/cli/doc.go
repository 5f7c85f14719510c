// Package cli implements portico's commands. Each command has an options
// struct filled from flags and a run function that tests call directly;
// Main only dispatches and maps errors to exit codes.
package cli
