#!/bin/sh
# Extracts the webhook payloads portico handles from the npm package
# @octokit/webhooks-examples into webhooks/<event>.<action>.json
# (<event>.json for events without an action). For each event and action it
# takes the first example delivered to a GitHub App (one that carries an
# `installation`, or a ping naming an app_id), or else the first example.
#
#   testdata/github/extract-webhooks.sh [VERSION]   (needs npm and jq)
set -eu
version=${1:-7.6.1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@octokit/webhooks-examples@$version" >/dev/null && tar xzf octokit-webhooks-examples-*.tgz)
index="$work/package/api.github.com/index.json"
mkdir -p "$here/webhooks"
for pair in pull_request.opened pull_request.synchronize pull_request.reopened \
	pull_request.ready_for_review pull_request.closed check_suite.rerequested \
	check_run.rerequested push installation.created installation.deleted \
	installation_repositories.added installation_repositories.removed \
	issue_comment.created ping repository.renamed; do
	event=${pair%%.*}
	action=${pair#"$event"}
	action=${action#.}
	jq --arg e "$event" --arg a "$action" '
		[.[] | select(.name == $e) | .examples[] | select((.action // "") == $a)]
		| (map(select(.installation != null or .hook.app_id? != null)) + .)[0]
		// error("no example for \($e) \($a)")' "$index" >"$here/webhooks/$pair.json"
done
echo "@octokit/webhooks-examples@$version" >"$here/webhooks/VERSION"
