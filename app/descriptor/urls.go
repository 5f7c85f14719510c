package descriptor

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isURL reports whether the WHATWG URL parser (JavaScript's `new URL(s)`,
// which Backstage uses to check metadata.links[].url) accepts s as an
// absolute URL. It follows the parser's failure cases: a missing or
// malformed scheme, a missing host for http(s), ws(s) and ftp, a bad port,
// forbidden characters in a host, and malformed IPv4 and IPv6 addresses.
// International domain names are approximated: a non-ASCII character fails
// only when it is a control, unassigned, private-use or a space.
func isURL(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	scheme, rest, ok := cutScheme(s)
	if !ok {
		return false
	}
	switch {
	case strings.EqualFold(scheme, "file"):
		return fileURL(rest)
	case isSpecialScheme(scheme):
		return specialURL(rest)
	case strings.HasPrefix(rest, "//"):
		return opaqueAuthority(rest[2:])
	}
	return true
}

func isSpecialScheme(s string) bool {
	for _, sp := range [...]string{"http", "https", "ws", "wss", "ftp"} {
		if strings.EqualFold(s, sp) {
			return true
		}
	}
	return false
}

// cutScheme splits `scheme:rest`; a scheme is an ASCII letter followed by
// letters, digits, "+", "-" and ".".
func cutScheme(s string) (scheme, rest string, ok bool) {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return "", "", false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			return s[:i], s[i+1:], true
		case isAlnum(c) || c == '+' || c == '-' || c == '.':
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// specialURL checks what follows "http:" and the like: slashes (any number,
// either way), an authority with a non-empty host, then anything.
func specialURL(rest string) bool {
	rest = strings.TrimLeft(rest, `/\`)
	end := strings.IndexAny(rest, `/\?#`)
	if end < 0 {
		end = len(rest)
	}
	host, port, ok := splitAuthority(rest[:end])
	return ok && host != "" && validPort(port) && specialHost(host)
}

// splitAuthority drops the credentials (up to the last "@") and splits the
// port off at the first ":" outside brackets. An "@" with no host after it,
// or a port with no host before it, fails.
func splitAuthority(auth string) (host, port string, ok bool) {
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
		if auth == "" {
			return "", "", false
		}
	}
	inBrackets := false
	for i := 0; i < len(auth); i++ {
		switch auth[i] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if !inBrackets {
				return auth[:i], auth[i+1:], i > 0
			}
		}
	}
	return auth, "", true
}

func validPort(p string) bool {
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		if n = n*10 + int(p[i]-'0'); n > 65535 {
			return false
		}
	}
	return true
}

// fileURL checks what follows "file:": only a host after "//" can fail.
func fileURL(rest string) bool {
	if len(rest) < 2 || !isSlash(rest[0]) || !isSlash(rest[1]) {
		return true
	}
	rest = rest[2:]
	end := strings.IndexAny(rest, `/\?#`)
	if end < 0 {
		end = len(rest)
	}
	host := rest[:end]
	if host == "" || isDriveLetter(host) {
		return true
	}
	return specialHost(host)
}

func isSlash(c byte) bool { return c == '/' || c == '\\' }

func isDriveLetter(s string) bool {
	return len(s) == 2 && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'z' && (s[1] == ':' || s[1] == '|')
}

// opaqueAuthority checks the authority of a non-special URL ("git://h/p").
func opaqueAuthority(rest string) bool {
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host, port, ok := splitAuthority(rest[:end])
	if !ok || !validPort(port) {
		return false
	}
	if strings.HasPrefix(host, "[") {
		return bracketedIPv6(host)
	}
	return strings.IndexAny(host, "\x00 #/:<>?@[\\]^|") < 0
}

func bracketedIPv6(host string) bool {
	if len(host) < 2 || host[len(host)-1] != ']' {
		return false
	}
	inner := host[1 : len(host)-1]
	if strings.IndexByte(inner, '%') >= 0 {
		return false
	}
	a, err := netip.ParseAddr(inner)
	return err == nil && a.Is6()
}

// specialHost checks the host of a special URL: an IPv6 address in
// brackets, or a domain that percent-decodes to allowed characters and, when
// it ends in a number, is a valid IPv4 address.
func specialHost(host string) bool {
	if strings.HasPrefix(host, "[") {
		return bracketedIPv6(host)
	}
	if strings.IndexByte(host, '%') >= 0 {
		host = percentDecode(host)
	}
	if !utf8.ValidString(host) || !domainChars(host) {
		return false
	}
	if endsInNumber(host) {
		return validIPv4(host)
	}
	return true
}

func percentDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := digitValue(s[i+1])
			lo, ok2 := digitValue(s[i+2])
			if ok1 && ok2 && hi < 16 && lo < 16 {
				b.WriteByte(byte(hi<<4 | lo))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// domainChars refuses forbidden domain code points, and non-ASCII
// characters that domain-to-ASCII would refuse or turn into one. A domain
// made only of characters that map to nothing is empty, and fails too.
func domainChars(s string) bool {
	seen := false
	for _, r := range s {
		switch {
		case r < 0x80:
			if r <= ' ' || r == 0x7f || strings.ContainsRune("#%/:<>?@[\\]^|", r) {
				return false
			}
		case r == 0xad || r >= 0x200b && r <= 0x200d || r == 0x2060 || r == 0xfeff || r >= 0xfe00 && r <= 0xfe0f:
			continue
		case r == utf8.RuneError || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Co, r) ||
			unicode.Is(unicode.Z, r) || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Cf):
			return false
		}
		seen = true
	}
	return seen
}

// endsInNumber: the last label (ignoring one trailing dot) is decimal
// digits or a 0x hex number.
func endsInNumber(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if countDigits(last) == len(last) {
		return true
	}
	_, ok := ipv4Number(last)
	return ok
}

func validIPv4(host string) bool {
	host = strings.TrimSuffix(host, ".")
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return false
	}
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok {
			return false
		}
		limit := uint64(255)
		if i == len(parts)-1 {
			limit = 1<<(8*uint(5-len(parts))) - 1
		}
		if n > limit {
			return false
		}
	}
	return true
}

// ipv4Number parses one part of an IPv4 address: decimal, 0x hex or
// 0-prefixed octal. Values past 2^32 are clamped, since they fail anyway.
func ipv4Number(p string) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		base, p = 16, p[2:]
	case len(p) >= 2 && p[0] == '0':
		base, p = 8, p[1:]
	}
	var n uint64
	for i := 0; i < len(p); i++ {
		d, ok := digitValue(p[i])
		if !ok || d >= base {
			return 0, false
		}
		n = min(n*uint64(base)+uint64(d), 1<<33)
	}
	return n, true
}
