#!/usr/bin/env bash
# Usage: find-pulumi.sh VERSION [SKIP_DIR]
# Prints the first executable `pulumi` on PATH whose `pulumi version` prints VERSION (v3.259.0),
# passing over SKIP_DIR (set-up's own .tools/bin) and naming on stderr each one of another
# version; exits 1 when there is none. scripts/setup.sh uses it before it builds the CLI with Go.
# (Bash's `type -a -P` lists every match in PATH order; `command -v` has no -a in bash.)
set -uo pipefail
want="$1" skip="${2:-}"
real() { (cd "$1" 2>/dev/null && pwd -P); }
skip_real="$([[ -n "$skip" ]] && real "$skip")"
while IFS= read -r candidate; do
  [[ -n "$skip_real" && "$(real "$(dirname "$candidate")")" == "$skip_real" ]] && continue
  have="$("$candidate" version 2>/dev/null)"
  if [[ "$have" == "$want" ]]; then
    printf '%s\n' "$candidate"
    exit 0
  fi
  printf '[setup] not using %s: it reports %s, not %s\n' "$candidate" "${have:-no version}" "$want" >&2
done < <(type -a -P pulumi)
exit 1
