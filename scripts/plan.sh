#!/usr/bin/env bash
# `npm run plan -- --stack NAME`: the exact write cmdlets `pulumi up` would run (change review).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh" >&2
source "$here/env.sh"
cd "$COEXIST_ROOT"
exec node provider/dist/cli/plan.js "$@"
