#!/usr/bin/env bash
# Regenerates verdicts.jsonl: Backstage's own verdict on every document of
# the real-world corpus (files as 31 public repositories committed them; see
# README.md and SOURCES.tsv), from the Backstage oracle in ../shared/tools.
# Only this script needs node; Go tests read the committed verdicts. The
# oracle does not resolve $text/$json/$yaml placeholders: its verdict is on
# the document as written. Paths in the output are relative to the
# repository root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
oracle="${BACKSTAGE_ORACLE:-$root/../shared/tools/backstage-oracle/oracle}"
cd "$root"
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
find testdata/realworld -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort > "$list"
"$oracle" --list "$list" 2>/dev/null > testdata/realworld/verdicts.jsonl
echo "$(wc -l < testdata/realworld/verdicts.jsonl) verdicts written to testdata/realworld/verdicts.jsonl"
