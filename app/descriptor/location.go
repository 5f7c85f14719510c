package descriptor

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// RuleLocationTarget marks a Location target that leads outside the
// repository and organisation the descriptor came from. Backstage follows
// every target of a Location it reads, so a Location recorded in the
// central catalog could make it read any file on its own host
// (file:///etc/passwd) or another organisation's entities into the
// catalog.
const RuleLocationTarget = "catalog/location-target"

// LocationScope is where the Location entities of one descriptor file may
// point: relative paths that stay inside its repository, URLs of its
// organisation on its GitHub server, and URLs on the hosts configured.
type LocationScope struct {
	File   string   // slash-separated path of the descriptor in its repository
	Server string   // the GitHub server's web address, such as https://github.com; "" when unknown
	Org    string   // the repository's owner on Server; "" allows no URL there
	Hosts  []string // more hosts whose URLs are allowed: "host[:port]" or "host/path-prefix"
}

// CheckLocation returns an error at each target of a Location entity that
// leads outside s, and at a spec.type other than url. Other kinds get none.
func CheckLocation(d *Document, s LocationScope) []Finding {
	if d == nil || d.Root == nil || d.Kind() != "Location" {
		return nil
	}
	spec := d.Root.Get("spec")
	var out []Finding
	if t, ok := spec.Get("type").Text(); ok && t != "url" {
		out = append(out, locationFinding(spec.Get("type"), Path{"spec", "type"},
			fmt.Sprintf("Location type %q is not read from this repository (Backstage reads it on its own host); use type url or leave type out", t)))
	}
	if t, ok := spec.Get("target").Text(); ok {
		out = appendTarget(out, spec.Get("target"), Path{"spec", "target"}, t, s)
	}
	if ts := spec.Get("targets"); ts != nil && ts.Kind == List {
		for i, it := range ts.Items {
			if t, ok := it.Text(); ok {
				out = appendTarget(out, it, Path{"spec", "targets", i}, t, s)
			}
		}
	}
	return out
}

func appendTarget(out []Finding, v *Value, p Path, target string, s LocationScope) []Finding {
	if why := s.refuse(target); why != "" {
		out = append(out, locationFinding(v, p, fmt.Sprintf("target %s %s", strconv.Quote(clipTarget(target)), why)))
	}
	return out
}

func locationFinding(v *Value, p Path, msg string) Finding {
	return Finding{Severity: SeverityError, Rule: RuleLocationTarget, Message: msg,
		Line: max(v.Line, 1), Column: max(v.Column, 1), Path: p.String()}
}

func clipTarget(t string) string {
	if len(t) > 120 {
		return t[:120] + "..."
	}
	return t
}

// refuse says why target leads outside s, or "" when it does not. It
// reads the target as Backstage's URL resolution (WHATWG) does: spaces
// and control characters around it dropped, tabs and newlines inside
// it dropped, backslashes as slashes, %2e as a dot.
func (s LocationScope) refuse(target string) string {
	t := strings.TrimFunc(target, func(r rune) bool { return r <= ' ' })
	t = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(t)
	if t == "" {
		return ""
	}
	if scheme, rest, ok := cutScheme(t); ok {
		return s.refuseURL(strings.ToLower(scheme), rest)
	}
	switch {
	case len(t) > 1 && isSlash(t[0]) && isSlash(t[1]):
		return s.refuseURL("https", t)
	case isSlash(t[0]):
		return "is an absolute path; write it relative to this file"
	}
	rel, _, _ := strings.Cut(strings.ReplaceAll(t, `\`, "/"), "?")
	rel, _, _ = strings.Cut(rel, "#")
	if _, ok := resolveDots(strings.Split(path.Dir(s.File), "/"), rel); !ok {
		return "leads out of this repository"
	}
	return ""
}

// refuseURL checks an absolute URL, rest being what follows "scheme:".
func (s LocationScope) refuseURL(scheme, rest string) string {
	if scheme != "https" && scheme != "http" {
		return fmt.Sprintf("is a %s: URL; only URLs of this organisation or of the hosts allowed are followed", scheme)
	}
	rest = strings.TrimLeft(rest, `/\`)
	end := strings.IndexAny(rest, `/\?#`)
	if end < 0 {
		end = len(rest)
	}
	authority, p := rest[:end], rest[end:]
	if strings.Contains(authority, "@") {
		return "holds credentials or an @ that hides its host"
	}
	host := strings.TrimSuffix(strings.ToLower(authority), ".")
	p, _, _ = strings.Cut(strings.ReplaceAll(p, `\`, "/"), "?")
	p, _, _ = strings.Cut(p, "#")
	segs, _ := resolveDots(nil, p)
	if s.onServer(scheme, host, segs) || s.onHost(host, segs) {
		return ""
	}
	if s.Server != "" && s.Org != "" {
		return fmt.Sprintf("is outside %s/%s/ (allow more hosts with catalog.location_hosts)", strings.TrimSuffix(s.Server, "/"), s.Org)
	}
	return "is a URL, and the organisation of this repository is unknown: only relative targets are followed (allow hosts with catalog.location_hosts)"
}

// onServer: the URL is on the repository's GitHub server, under its
// organisation.
func (s LocationScope) onServer(scheme, host string, segs []string) bool {
	if s.Server == "" || s.Org == "" {
		return false
	}
	srvScheme, rest, ok := cutScheme(s.Server)
	if !ok || !strings.EqualFold(srvScheme, scheme) {
		return false
	}
	srvHost, _, _ := strings.Cut(strings.TrimLeft(rest, "/"), "/")
	return strings.EqualFold(srvHost, host) && len(segs) > 0 && strings.EqualFold(segs[0], s.Org)
}

// onHost: the URL is on one of the hosts allowed, under its path prefix
// when it has one.
func (s LocationScope) onHost(host string, segs []string) bool {
	for _, h := range s.Hosts {
		h = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(h)), "https://"), "http://")
		allowHost, prefix, _ := strings.Cut(strings.Trim(h, "/"), "/")
		if allowHost == "" || allowHost != host {
			continue
		}
		want, _ := resolveDots(nil, prefix)
		if hasPrefixFold(segs, want) {
			return true
		}
	}
	return false
}

func hasPrefixFold(segs, prefix []string) bool {
	if len(prefix) > len(segs) {
		return false
	}
	for i, p := range prefix {
		if !strings.EqualFold(segs[i], p) {
			return false
		}
	}
	return true
}

// resolveDots applies the slash-separated path p to the directory
// segments base, as URL resolution does, and says whether it stayed
// inside base's root: a ".." above it is an escape (a URL's own root
// clamps it, which callers of an absolute path ignore).
func resolveDots(base []string, p string) ([]string, bool) {
	out := make([]string, 0, len(base)+4)
	for _, b := range base {
		if b != "" && b != "." {
			out = append(out, b)
		}
	}
	inside := true
	for _, seg := range strings.Split(p, "/") {
		switch strings.ToLower(seg) {
		case "", ".", "%2e":
		case "..", ".%2e", "%2e.", "%2e%2e":
			if len(out) == 0 {
				inside = false
				continue
			}
			out = out[:len(out)-1]
		default:
			out = append(out, seg)
		}
	}
	return out, inside
}
