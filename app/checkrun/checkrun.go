package checkrun

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// GitHub's limits on one check run request.
const (
	// AnnotationsPerRequest is the most annotations one create or update
	// may carry.
	AnnotationsPerRequest = 50
	// SummaryLimit is the most characters output.summary holds.
	SummaryLimit = 65535
)

// Defaults of Config's zero values.
const (
	// DefaultMaxAnnotations bounds the annotations of one check: 300 is
	// six writes, enough to show every finding of any ordinary change,
	// and bounded so that one huge change cannot spend the installation's
	// write budget that other pull requests are waiting for.
	DefaultMaxAnnotations = 300
	// DefaultInProgressAfter is how long a check works before people are
	// shown a run in progress; quicker checks cost a single write.
	DefaultInProgressAfter = 3 * time.Second
)

// Level is an annotation's severity, as GitHub names it.
type Level string

// Annotation levels.
const (
	Notice  Level = "notice"
	Warning Level = "warning"
	Failure Level = "failure"
)

// rank orders levels most severe first.
func (l Level) rank() int {
	switch l {
	case Failure:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// Conclusion is how a completed check run ends.
type Conclusion string

// Conclusions portico uses.
const (
	Success Conclusion = "success"
	Neutral Conclusion = "neutral"
	Failed  Conclusion = "failure"
)

// Annotation is one finding at its place in a file.
type Annotation struct {
	Path                   string
	StartLine, EndLine     int
	StartColumn, EndColumn int // 0: the whole line
	Level                  Level
	Title, Message         string
	RawDetails             string
}

// key identifies an annotation among those a run already has.
func (a Annotation) key() string {
	return fmt.Sprintf("%s\x00%d\x00%d\x00%s\x00%s", a.Path, a.StartLine, a.StartColumn, a.Title, a.Message)
}

// Target names a check run: the check's name on a commit of a repository.
type Target struct {
	Owner, Repo string
	HeadSHA     string
	Name        string
}

func (t Target) String() string {
	return fmt.Sprintf("%q on %s/%s@%s", t.Name, t.Owner, t.Repo, t.HeadSHA)
}

// Output is what a check found, as it should appear on GitHub.
type Output struct {
	Title       string
	Summary     string
	Conclusion  Conclusion
	Annotations []Annotation
	// SeeAll says, in Markdown, how to see every finding; the summary
	// shows it when some annotations were left out.
	SeeAll string
}

// Config tunes a Publisher; zero values take the defaults above.
type Config struct {
	// MaxAnnotations bounds the annotations posted per check.
	MaxAnnotations int
	// InProgressAfter is how long Track lets work run before it shows a
	// run in progress.
	InProgressAfter time.Duration
}

func (c Config) withDefaults() Config {
	c.MaxAnnotations = cmp.Or(c.MaxAnnotations, DefaultMaxAnnotations)
	c.InProgressAfter = cmp.Or(c.InProgressAfter, DefaultInProgressAfter)
	return c
}

// Publisher posts check runs through one installation's API.
type Publisher struct {
	api API
	cfg Config
	now func() time.Time
}

// New returns a Publisher that writes through api.
func New(api API, cfg Config) *Publisher {
	return &Publisher{api: api, cfg: cfg.withDefaults(), now: time.Now}
}

// Published says what a publication did.
type Published struct {
	RunID      int64
	Writes     int  // create and update requests sent
	Annotated  int  // annotations the run holds for this output
	Omitted    int  // annotations left out by the cap
	Superseded bool // an older run was replaced
}

// Publish posts out as the completed run of t: a new run in one write when
// t has none and out fits, or an update of the run t has.
func (p *Publisher) Publish(ctx context.Context, t Target, out Output) (Published, error) {
	run, err := p.api.FindRun(ctx, t)
	if err != nil {
		return Published{}, fmt.Errorf("find check run %s: %w", t, err)
	}
	return p.publish(ctx, t, out, run)
}

func (p *Publisher) publish(ctx context.Context, t Target, out Output, run *Run) (Published, error) {
	anns, omitted := p.capped(out.Annotations)
	ro := RunOutput{Title: out.Title, Summary: summary(out, omitted)}
	res := Published{Annotated: len(anns), Omitted: omitted}
	if run == nil {
		return p.create(ctx, t, out.Conclusion, ro, anns, res)
	}
	have, err := p.existing(ctx, t, run)
	if err != nil {
		return res, err
	}
	if stale(have, anns) {
		return p.replace(ctx, t, out.Conclusion, ro, anns, run, res)
	}
	todo := slices.DeleteFunc(slices.Clone(anns), func(a Annotation) bool { return have[a.key()] })
	return p.complete(ctx, t, run.ID, out.Conclusion, ro, todo, res)
}

// create makes a new completed run with the first batch of annotations,
// then adds the others.
func (p *Publisher) create(ctx context.Context, t Target, c Conclusion, ro RunOutput, anns []Annotation, res Published) (Published, error) {
	first, rest := batch(anns)
	ro.Annotations = first
	now := p.now()
	run, err := p.api.CreateRun(ctx, t, RunRequest{Status: StatusCompleted, Conclusion: c, StartedAt: now, CompletedAt: now, Output: &ro})
	if err != nil {
		return res, fmt.Errorf("create check run %s: %w", t, err)
	}
	res.RunID, res.Writes = run.ID, 1
	return p.append(ctx, t, ro, rest, res)
}

// complete completes run with the first batch of todo, then adds the rest.
func (p *Publisher) complete(ctx context.Context, t Target, id int64, c Conclusion, ro RunOutput, todo []Annotation, res Published) (Published, error) {
	first, rest := batch(todo)
	ro.Annotations = first
	if err := p.api.UpdateRun(ctx, t, id, RunRequest{Status: StatusCompleted, Conclusion: c, CompletedAt: p.now(), Output: &ro}); err != nil {
		return res, fmt.Errorf("update check run %s: %w", t, err)
	}
	res.RunID = id
	res.Writes++
	return p.append(ctx, t, ro, rest, res)
}

// append adds annotations to a completed run, 50 a request.
func (p *Publisher) append(ctx context.Context, t Target, ro RunOutput, anns []Annotation, res Published) (Published, error) {
	for len(anns) > 0 {
		ro.Annotations, anns = batch(anns)
		if err := p.api.UpdateRun(ctx, t, res.RunID, RunRequest{Output: &ro}); err != nil {
			return res, fmt.Errorf("annotate check run %s: %w", t, err)
		}
		res.Writes++
	}
	return res, nil
}

// replace starts a new run with the output, then completes old as
// superseded (neutral, so that it blocks nothing; the newest run of a
// name is the one GitHub shows and branch protection reads).
func (p *Publisher) replace(ctx context.Context, t Target, c Conclusion, ro RunOutput, anns []Annotation, old *Run, res Published) (Published, error) {
	res, err := p.create(ctx, t, c, ro, anns, res)
	if err != nil {
		return res, err
	}
	gone := RunOutput{
		Title:   "Superseded by a newer run of this check",
		Summary: "The findings changed since this run (the central catalog or the platform's policies moved); a newer run of `" + t.Name + "` on this commit has them.",
	}
	if err := p.api.UpdateRun(ctx, t, old.ID, RunRequest{Status: StatusCompleted, Conclusion: Neutral, CompletedAt: p.now(), Output: &gone}); err != nil {
		return res, fmt.Errorf("supersede check run %s: %w", t, err)
	}
	res.Writes++
	res.Superseded = true
	return res, nil
}

func (p *Publisher) existing(ctx context.Context, t Target, run *Run) (map[string]bool, error) {
	have := map[string]bool{}
	if run.AnnotationsCount == 0 {
		return have, nil
	}
	list, err := p.api.ListAnnotations(ctx, t, run.ID)
	if err != nil {
		return nil, fmt.Errorf("list annotations of %s: %w", t, err)
	}
	for _, a := range list {
		have[a.key()] = true
	}
	return have, nil
}

// capped keeps the MaxAnnotations most severe annotations, in their order
// otherwise, and says how many it left out.
func (p *Publisher) capped(anns []Annotation) ([]Annotation, int) {
	if len(anns) <= p.cfg.MaxAnnotations {
		return anns, 0
	}
	sorted := slices.Clone(anns)
	slices.SortStableFunc(sorted, func(a, b Annotation) int { return a.Level.rank() - b.Level.rank() })
	return sorted[:p.cfg.MaxAnnotations], len(anns) - p.cfg.MaxAnnotations
}

// stale reports whether a run has an annotation that is not among want.
func stale(have map[string]bool, want []Annotation) bool {
	keep := make(map[string]bool, len(want))
	for _, a := range want {
		keep[a.key()] = true
	}
	for k := range have {
		if !keep[k] {
			return true
		}
	}
	return false
}

func batch(anns []Annotation) (first, rest []Annotation) {
	n := min(len(anns), AnnotationsPerRequest)
	return anns[:n], anns[n:]
}

// summary is out's summary with a note on omitted annotations, cut to
// GitHub's limit.
func summary(out Output, omitted int) string {
	note := ""
	if omitted > 0 {
		note = fmt.Sprintf("\n\n> [!NOTE]\n> %d more %s not shown as annotations: a check posts the most severe first, up to a limit.", omitted, plural(omitted, "finding is", "findings are"))
		if out.SeeAll != "" {
			note += " " + out.SeeAll
		}
		note += "\n"
	}
	return Fit(out.Summary, SummaryLimit-len(note)) + note
}

// cutNote ends a summary that was too long for GitHub.
const cutNote = "\n\n… (cut: the summary is longer than GitHub allows)\n"

// Fit cuts s to at most limit bytes (GitHub counts characters, so bytes
// are the safe measure) at a line boundary where it can, and says so.
func Fit(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	note := cutNote
	if limit < len(note) {
		note = ""
	}
	cut := max(limit-len(note), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	head := s[:cut]
	if i := strings.LastIndexByte(head, '\n'); i > len(head)/2 {
		head = head[:i]
	}
	return head + note
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
