package scorereport

import (
	"bytes"
	"testing"
)

// FuzzParseRecorded: a score file is outside input (anyone who can push
// to the central catalog writes it). Whatever it holds, reading it never
// panics, and what it accepts renders in every format.
func FuzzParseRecorded(f *testing.F) {
	f.Add([]byte(`{"ref": "component:default/a", "scorecards": [{"id": "x", "level": "gold", "rules": [{"id": "r", "level": "gold", "status": "failed"}]}]}`))
	f.Add([]byte(`{"ref": "component:default/a", "scorecards": [{"id": "x", "level": null, "error": "boom"}]}`))
	f.Add([]byte(`{"ref": "<b>", "scorecards": [{"id": "</svg>", "level": "none", "rules": [{"id": "", "level": "", "status": "failed"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRecorded(data)
		if err != nil {
			return
		}
		r.Owner = string(data)
		o := SummarizeOrg("", []Recorded{r, r}, nil)
		for _, format := range OrgFormats {
			if err := WriteOrg(&bytes.Buffer{}, format, o); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
		}
	})
}
