package terraform

import (
	"regexp"
	"sort"
	"strings"
)

// Redacted replaces each secret that Redact finds.
const Redacted = "[REDACTED]"

// secretPatterns are shapes of credentials that never belong in a log or a
// comment, whatever printed them.
var secretPatterns = []*regexp.Regexp{
	// PEM private keys, whole blocks; an unterminated block to the end.
	regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)`),
	// GitHub tokens: classic, OAuth, user-to-server, server-to-server,
	// refresh, and fine-grained personal access tokens.
	regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})`),
	// AWS access key ids.
	regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`),
	// JSON Web Tokens: three base64url parts, the first two JSON objects.
	regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{0,}`),
}

// assignment matches a value given to a secret-sounding key
// (token=..., "password": "...", secret: ...); the value is group 2.
var assignment = regexp.MustCompile(`(?i)((?:token|password|passwd|secret|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_-]*["']?\s*[:=]\s*["']?)([^\s"',;&]{8,})`)

// Redact returns text with every secret it recognises replaced by
// Redacted: GitHub tokens, AWS access key ids, PEM private key blocks,
// JWTs, values of token=, password=, secret= and the like, and each of the
// extra values (sensitive outputs, the caller's secrets) wherever it
// appears. Extra values shorter than 4 bytes are ignored: blanking every
// "a" would redact nothing of use and ruin the text.
func Redact(text string, extra ...string) string {
	if text == "" {
		return text
	}
	text = redactValues(text, extra)
	for _, re := range secretPatterns {
		text = re.ReplaceAllString(text, Redacted)
	}
	return assignment.ReplaceAllStringFunc(text, func(m string) string {
		sub := assignment.FindStringSubmatch(m)
		if sub == nil || sub[2] == Redacted || strings.HasPrefix(sub[2], Redacted) {
			return m
		}
		return sub[1] + Redacted
	})
}

// redactValues blanks the given values, the longest first, so that a
// secret holding a shorter one is blanked whole.
func redactValues(text string, values []string) string {
	vals := make([]string, 0, len(values))
	for _, v := range values {
		if len(v) >= 4 {
			vals = append(vals, v)
		}
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		text = strings.ReplaceAll(text, v, Redacted)
	}
	return text
}
