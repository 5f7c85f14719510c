#!/usr/bin/env bash
# Regenerates verdicts.jsonl: Backstage's own verdict on every document of
# the parity corpus, from the Backstage oracle in ../shared/tools. Only this
# script needs node; the Go parity test (app/descriptor) reads the committed
# verdicts. Run from anywhere; paths in the output are relative to the
# repository root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
oracle="${BACKSTAGE_ORACLE:-$root/../shared/tools/backstage-oracle/oracle}"
cd "$root"
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
find testdata/parity/cases testdata/parity/backstage -name '*.yaml' | LC_ALL=C sort > "$list"
"$oracle" --list "$list" 2>/dev/null > testdata/parity/verdicts.jsonl
echo "$(wc -l < testdata/parity/verdicts.jsonl) verdicts written to testdata/parity/verdicts.jsonl"
