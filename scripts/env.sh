# Sourced by setup.sh, test.sh, demo.sh and the other npm scripts: the project-local toolchain
# and, unless told otherwise, a local file backend with a passphrase secrets provider, for
# simulator stacks only. Real stacks need their own backend and secrets provider.
COEXIST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COEXIST_TOOLS="$COEXIST_ROOT/.tools"
export COEXIST_ROOT COEXIST_TOOLS

# Node >= 22 from .tools/node when the system one is older; pwsh from .tools/pwsh when set-up
# installed it there; the Pulumi CLI and language host in
# .tools/bin, with pulumi-resource-pulumi-nodejs (the dynamic-provider host shim) copied beside
# them by setup.sh (the CLI takes its bundled plugins from its own folder); @pulumi/pulumi's own
# copy stays on PATH only as a fallback.
export PATH="$COEXIST_TOOLS/bin:$COEXIST_TOOLS/node/bin:$COEXIST_TOOLS/pwsh:$COEXIST_ROOT/node_modules/@pulumi/pulumi:$PATH"

export PULUMI_HOME="$COEXIST_TOOLS/pulumi-home"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The backend and the passphrase: yours when given (COEXIST_BACKEND_URL; PULUMI_CONFIG_PASSPHRASE
# or PULUMI_CONFIG_PASSPHRASE_FILE), otherwise the rehearsal's: a file backend inside this
# checkout and the published passphrase `coexist-rehearsal`. What was defaulted is marked
# (COEXIST_REHEARSAL_BACKEND, COEXIST_REHEARSAL_PASSPHRASE), and the program and the npm scripts
# refuse any stack whose targets are not both simulators while it is in force
# (provider/src/program/environment.ts, docs/commands.md#the-tool-environment).
if [[ -n "${COEXIST_BACKEND_URL:-}" ]]; then
  export PULUMI_BACKEND_URL="$COEXIST_BACKEND_URL"
  unset COEXIST_REHEARSAL_BACKEND
else
  export PULUMI_BACKEND_URL="file://$COEXIST_ROOT/.pulumi-state"
  export COEXIST_REHEARSAL_BACKEND="$PULUMI_BACKEND_URL"
fi
if [[ -z "${PULUMI_CONFIG_PASSPHRASE:-}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
  export PULUMI_CONFIG_PASSPHRASE=coexist-rehearsal
  export COEXIST_REHEARSAL_PASSPHRASE=1
elif [[ "${PULUMI_CONFIG_PASSPHRASE:-}" != coexist-rehearsal ]]; then
  unset COEXIST_REHEARSAL_PASSPHRASE
fi
