package descriptor

// Severity ranks a finding. Errors make a document invalid; warnings do not.
type Severity string

// The severities a finding can have.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Rank orders severities so that callers can compare them against a
// threshold such as --fail-on: a higher rank is more severe.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 2
	case SeverityWarning:
		return 1
	}
	return 0
}

// Finding is one problem in a descriptor, located at the value at fault.
type Finding struct {
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Path     string   `json:"path,omitempty"`
}
