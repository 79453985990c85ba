#!/usr/bin/env bash
# `npm run rehearse -- init|mx-cutover --stack NAME ...`: a rehearsal world from the stack's own config, see docs/simulator.md.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh" >&2
source "$here/env.sh"
cd "$COEXIST_ROOT"
exec node provider/dist/cli/rehearse.js "$@"
