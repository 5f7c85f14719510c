// Package loadtest drives a portico App installed on the fake GitHub
// (package githubtest) through the scenarios that measure its pull
// request checks at organisation scale: a burst of pull requests opened at
// once, a pull request pushed to again and again, bulk work queued before
// a pull request, and a huge change beside a small one. Each scenario
// acts only through the fake's own API, as GitHub's users would, and
// reports how long each check took from its delivery to its completed
// check run and how many writes it cost.
//
// `portico dev load --scenario NAME` runs them against an in-process
// portico; the end-to-end tests run them, smaller, against the real
// binary.
package loadtest
