// Package config owns portico's runtime configuration: one typed root,
// Config, read from portico.yaml with strict decoding (an unknown key is an
// error that names its line), then overridden by PORTICO_* environment
// variables, then completed with the App credentials that the first-run
// manifest flow saved in the data directory, then validated.
//
// Order of precedence, highest first: environment, portico.yaml, the
// credentials file in the data directory, the defaults named by the
// Default* constants. Secret values are held in Secret, whose every
// printed, marshalled or logged form is redacted, so a Config can be
// logged or wrapped into an error without leaking anything.
package config
