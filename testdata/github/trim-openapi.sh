#!/bin/sh
# Regenerates api.github.com.json, the part of GitHub's OpenAPI description
# that the fake GitHub (app/githubtest) validates against, and the gzipped
# copy that package embeds so `portico dev github` runs anywhere.
#
#   testdata/github/trim-openapi.sh [VERSION]   (from the repository root)
#
# The operations and webhooks kept are listed in trim-openapi.go.
set -eu
version=${1:-23.0.2}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@octokit/openapi@$version" >/dev/null && tar xzf octokit-openapi-*.tgz)
cd "$root"
go run ./testdata/github/trim-openapi.go "$work/package/generated/api.github.com.json" testdata/github/api.github.com.json
gzip -9 -n -c testdata/github/api.github.com.json >app/githubtest/api.github.com.json.gz
echo "@octokit/openapi@$version" >testdata/github/api.github.com.json.version
