#!/usr/bin/env bash
# `npm test`: set up (idempotent), run every Jest suite against the real Pulumi CLI and the
# simulated tenant, and end with one plain line `N passed, N failed, N skipped`.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh"
source "$here/env.sh"
cd "$COEXIST_ROOT"

results="$COEXIST_TOOLS/jest-results.json"
rm -f "$results"
status=0
node node_modules/jest/bin/jest.js --ci --json --outputFile="$results" "$@" || status=$?
node scripts/test-summary.js "$results" || status=1
exit "$status"
