# Annotations: well-known annotations hold values the plugins that read
# them can use, so a typo fails in review rather than on the portal page.
# An empty value is caught here too, since Backstage accepts any string.
package portico.annotations

warn contains finding if {
	slug := input.metadata.annotations["github.com/project-slug"]
	is_string(slug)
	not regex.match(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`, slug)
	finding := {
		"rule": "portico/project-slug-format",
		"path": ["metadata", "annotations", "github.com/project-slug"],
		"msg": sprintf(
			"github.com/project-slug %q is not <owner>/<repo>: write the repository as GitHub names it, e.g. \"acme/payments\", without host or .git",
			[slug],
		),
	}
}

warn contains finding if {
	ref := input.metadata.annotations["backstage.io/techdocs-ref"]
	is_string(ref)
	not startswith(ref, "dir:")
	not startswith(ref, "url:")
	finding := {
		"rule": "portico/techdocs-ref-format",
		"path": ["metadata", "annotations", "backstage.io/techdocs-ref"],
		"msg": sprintf(
			"backstage.io/techdocs-ref %q must start with dir: (docs in this repository, usually \"dir:.\") or url: (docs in another repository)",
			[ref],
		),
	}
}
