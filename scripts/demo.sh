#!/usr/bin/env bash
# `npm run demo`: set up (idempotent), then rehearse a whole migration on the simulated tenant in
# examples/contoso, a project made the way a customer's is: the packed @coexist/provider and
# @coexist/entry (`npm run package`) installed there by npm, and the program, the provider host
# and the demo itself run from that installed copy, not from this checkout's workspace.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
bash "$here/setup.sh"
source "$here/env.sh"
cd "$COEXIST_ROOT"

example=examples/contoso
packs="$COEXIST_ROOT/dist/packages"
mkdir -p "$packs"
npm pack --silent --workspace provider --pack-destination "$packs" >/dev/null
npm pack --silent ./provider/entry --pack-destination "$packs" >/dev/null
# npm pack writes the same bytes for the same files, so an unchanged build installs nothing.
sum="$(cat "$packs/coexist-provider-0.1.0.tgz" "$packs/coexist-entry-0.1.0.tgz" "$example/package.json" | sha256sum | cut -d' ' -f1)-$(node --version)"
stamp="$example/node_modules/.coexist-installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$sum" ]]; then
  printf '[demo] npm install of the packed packages in %s\n' "$example" >&2
  (cd "$example" && npm install --no-save --prefer-offline --no-audit --no-fund --loglevel=error \
    "$packs/coexist-provider-0.1.0.tgz" "$packs/coexist-entry-0.1.0.tgz")
  echo "$sum" > "$stamp"
fi
cd "$example"
exec node node_modules/@coexist/provider/dist/cli/demo.js "$@"
