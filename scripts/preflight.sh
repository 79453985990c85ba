#!/usr/bin/env bash
# `npm run preflight -- --stack NAME [--json]`: read-only readiness checks, see docs/commands.md.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh" >&2
source "$here/env.sh"
cd "$COEXIST_ROOT"
exec node provider/dist/cli/preflight.js "$@"
