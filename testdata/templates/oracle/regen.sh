#!/usr/bin/env bash
# Regenerates testdata/templates/golden/: each sample under
# testdata/templates/samples rendered as Backstage's scaffolder renders it
# (its fetch:template steps' inputs evaluated from values.yaml, then the
# skeleton), and the RenderValue cases of testdata/templates/values.yaml.
# Only this script needs node and npm; Go tests read the committed goldens.
# nunjucks is pinned to 3.2.4, the version Backstage's scaffolder-backend
# bundles into its SecureTemplater (devDependency ^3.2.3); the packages
# install into a cache directory, never into the repository.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="${PORTICO_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portico/template-oracle}"
mkdir -p "$cache"
cp "$here/package.json" "$cache/package.json"
if ! cmp -s "$here/package.json" "$cache/.installed" 2>/dev/null; then
  (cd "$cache" && npm install --no-audit --no-fund --omit=dev --loglevel=error)
  cp "$here/package.json" "$cache/.installed"
fi
cd "$root"
NODE_PATH="$cache/node_modules" node "$here/oracle.js" testdata/templates
