#!/usr/bin/env bash
# `npm run demo`: set up (idempotent), then rehearse a whole migration on the simulated tenant.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh"
source "$here/env.sh"
cd "$COEXIST_ROOT"
exec node provider/dist/cli/demo.js
