package checkrun

import (
	"context"
	"time"
)

// Check run statuses.
const (
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
)

// Run is a check run as GitHub holds it.
type Run struct {
	ID               int64
	Status           string
	AnnotationsCount int
}

// RunOutput is a run's output in one request.
type RunOutput struct {
	Title, Summary string
	Annotations    []Annotation
}

// RunRequest is one create or update of a run. Zero fields are not sent:
// an update with only Output appends its annotations.
type RunRequest struct {
	Status      string
	Conclusion  Conclusion // with StatusCompleted
	StartedAt   time.Time
	CompletedAt time.Time
	Output      *RunOutput
}

// API is the part of GitHub's checks API the publisher uses.
type API interface {
	// FindRun returns the latest run of t made by this App, or nil.
	FindRun(ctx context.Context, t Target) (*Run, error)
	CreateRun(ctx context.Context, t Target, r RunRequest) (Run, error)
	UpdateRun(ctx context.Context, t Target, id int64, r RunRequest) error
	// ListAnnotations returns every annotation of run id.
	ListAnnotations(ctx context.Context, t Target, id int64) ([]Annotation, error)
}
