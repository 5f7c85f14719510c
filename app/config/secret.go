package config

import (
	"fmt"
	"log/slog"
)

// redacted is what every printed form of a non-empty Secret shows.
const redacted = "[redacted]"

// Secret is a string that never shows itself: fmt (every verb, including
// %#v and inside structs), encoding/json, yaml.v3 and log/slog all see
// "[redacted]", or "" when the secret is empty so that a missing secret
// is still visible in a dump. Reveal is the one way to the value, which
// keeps every use greppable.
type Secret string

// Reveal returns the secret value. Call it only where the value is sent to
// the system that needs it.
func (s Secret) Reveal() string { return string(s) }

func (s Secret) shown() string {
	if s == "" {
		return ""
	}
	return redacted
}

// String implements fmt.Stringer.
func (s Secret) String() string { return s.shown() }

// GoString implements fmt.GoStringer (the %#v verb).
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.shown()) }

// Format implements fmt.Formatter so that no verb (%x, %q, %d ...) reaches
// the underlying string.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.shown())
}

// MarshalJSON implements json.Marshaler.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", s.shown())), nil }

// MarshalYAML implements yaml.Marshaler.
func (s Secret) MarshalYAML() (any, error) { return s.shown(), nil }

// MarshalText implements encoding.TextMarshaler, which slog's text handler
// and other encoders consult.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.shown()), nil }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.shown()) }
