package upgrade

import (
	"strings"
	"testing"
)

// Pull request bodies and commit messages are outside input: people edit
// them. Reading portico's markers and trailers never panics, and a
// marker portico appended is read back whatever the body above it says.
func FuzzMarkers(f *testing.F) {
	f.Add("body", "1.2.0", "Portico-Tree: abc\n")
	f.Add("<!-- portico:template-upgrade template=service version=", "2.0.0", "")
	f.Fuzz(func(t *testing.T, body, version, message string) {
		trailer(message, trailerTree)
		markedVersion(body, "service")
		p := Proposal{Template: "service", To: version, Body: body}
		if strings.ContainsAny(version, " \n") || strings.Contains(version, "-->") || version == "" {
			return
		}
		if got := markedVersion(p.markedBody(), "service"); got != version {
			t.Errorf("marker read back %q, want %q", got, version)
		}
	})
}

// A proposal whose name cannot be a branch, or that lacks its base, is
// refused before any request.
func TestPublishRefusesBadProposals(t *testing.T) {
	t.Parallel()
	for name, edit := range map[string]func(*Proposal){
		"no template":     func(p *Proposal) { p.Template = "" },
		"name with space": func(p *Proposal) { p.Template = "a b" },
		"name with ..":    func(p *Proposal) { p.Template = "a..b" },
		"no base":         func(p *Proposal) { p.BaseSHA = "" },
		"bad version":     func(p *Proposal) { p.To = "1 -->" },
	} {
		f := newFake()
		p := proposal("1.1.0")
		edit(&p)
		if _, err := Publish(t.Context(), f, p); err == nil || len(f.writes) != 0 {
			t.Errorf("%s: err %v, writes %v", name, err, f.writes)
		}
	}
}
