#!/usr/bin/env bash
# `npm test`: set up (idempotent), run every Jest suite against the real Pulumi CLI and the
# simulated tenant, check that no process they started is still running, and end with one plain
# line `N passed, N failed, N skipped`.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh"
source "$here/env.sh"
cd "$COEXIST_ROOT"

results="$COEXIST_TOOLS/jest-results.json"
rm -f "$results"
status=0
# Every process this run starts inherits this mark, wherever it ends up re-parented: the check
# after Jest finds what the tests left running by it, and never another run's processes.
export COEXIST_TEST_RUN="$(date +%s)-$$-$RANDOM"
node node_modules/jest/bin/jest.js --ci --json --outputFile="$results" "$@" || status=$?
checks=()
node dist/test/harness/leftovers.js "$COEXIST_TEST_RUN" || checks+=("processes left running after the tests (listed above)")
node scripts/test-summary.js "$results" ${checks[@]+"${checks[@]}"} || status=1
exit "$status"
