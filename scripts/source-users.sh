#!/usr/bin/env bash
# `npm run source-users -- --stack NAME [--out FILE]`: read-only, see docs/commands.md.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh" >&2
source "$here/env.sh"
cd "$COEXIST_ROOT"
exec node provider/dist/cli/sourceUsers.js "$@"
