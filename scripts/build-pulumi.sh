#!/usr/bin/env bash
# Builds the Pulumi CLI and the Node language host from the Go module proxy into $2.
#   tools/pulumi-cli             wraps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
#   tools/pulumi-language-nodejs wraps the Node language host (see its go.mod for the version)
# Both wrappers carry a committed go.sum, so every module is verified against it; `go install
# …@v` cannot be used because the CLI's own go.mod has replace directives.
set -euo pipefail
want="$1" out="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$out"

# The wrappers pin every module in go.sum; the checksum database is not reachable from here.
export GOFLAGS=-mod=mod GOSUMDB=off GOTOOLCHAIN=local CGO_ENABLED=0
ver_pkg=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version

pinned="$(sed -n 's#^\s*github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\).*#\1#p' "$root/tools/pulumi-cli/go.mod")"
[[ "$pinned" == "$want" ]] || { echo "tools/pulumi-cli pins pkg/v3 $pinned but @pulumi/pulumi is $want" >&2; exit 1; }

(cd "$root/tools/pulumi-cli" && go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-X $ver_pkg=$want" -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)

lh_version="$(sed -n 's#^\s*github.com/pulumi/pulumi/sdk/v3 \(v[0-9.]*\).*#\1#p' "$root/tools/pulumi-language-nodejs/go.mod")"
(cd "$root/tools/pulumi-language-nodejs" && go build -trimpath \
  -ldflags "-X $ver_pkg=$lh_version" -o "$out/pulumi-language-nodejs" \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
