#!/usr/bin/env bash
# `npm run bench [-- --users N --scale S]`: the wave benchmark (docs/performance.md).
# Full model: npm run bench. Quick model for CI-sized runs: npm run bench -- --users 200 --scale 0.01
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh" >&2
source "$here/env.sh"
cd "$COEXIST_ROOT"
exec node dist/test/bench/bench.js "$@"
