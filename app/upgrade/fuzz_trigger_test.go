package upgrade

import "testing"

// A push payload is outside input: no panic, and a fan-out only for a
// well-formed push to the platform repository's default branch.
func FuzzPushJobs(f *testing.F) {
	f.Add([]byte(`{"ref":"refs/heads/main","after":"cccccccccccccccccccccccccccccccccccccccc","installation":{"id":7},"repository":{"full_name":"acme/platform","default_branch":"main","owner":{"login":"acme"}},"commits":[{"modified":["templates/svc/template.yaml"]}]}`))
	f.Add([]byte(`{"ref":"refs/heads/main","repository":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		jobs, err := PushJobs("acme/platform", payload)
		if err != nil {
			return
		}
		for _, j := range jobs {
			a := j.(FanOutArgs)
			if a.InstallationID <= 0 || !shaPattern.MatchString(a.Commit) {
				t.Fatalf("fan-out from a malformed push: %+v", a)
			}
		}
	})
}

// Changelog sections never panic and never exceed their bound.
func FuzzSections(f *testing.F) {
	f.Add([]byte("# Changelog\n\n## [1.1.0]\n\n- a\n\n## 1.0.0\n- b\n"), "1.0.0", "1.1.0")
	f.Fuzz(func(t *testing.T, log []byte, from, to string) {
		if s := Sections(log, from, to); len(s) > maxChangelogBytes+8 {
			t.Fatalf("%d bytes", len(s))
		}
	})
}
