// Package checkrun is portico's one publisher of GitHub check runs. Every
// flow that reports on a commit (the pull request check, the catalog
// sync, and the checks of later flows) hands it an Output and lets it
// spend as few writes as GitHub allows:
//
//   - A check whose output fits in one request (at most 50 annotations)
//     is created completed, with its output, in a single write. A run "in
//     progress" is created first only when the work takes longer than a
//     threshold that people would notice (Publisher.Track).
//   - Annotations beyond the first 50 go in one update per further 50.
//     A check posts at most a bounded number of them (the most severe
//     first); the summary says how many more there are and how to see
//     them all.
//   - The run a previous attempt or a re-run made for the same commit and
//     name is found and reused, so a commit has one run of a check however
//     often it is checked, and annotations it already has are not sent
//     again (GitHub appends annotations on every update).
//   - When that run has annotations that no longer hold, GitHub cannot take
//     them back: a new run replaces it, and the old one completes neutral,
//     marked superseded.
//   - Titles and summaries are cut to GitHub's limits, with a note.
//
// The publisher sees GitHub through API, a narrow interface; GitHub adapts
// a go-github client to it, and tests use plain fakes.
package checkrun
