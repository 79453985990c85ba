# Sourced by setup.sh, test.sh and demo.sh: the project-local toolchain and, for the demo and
# tests only, a local file backend with a passphrase secrets provider. Real users keep their
# own CLI, backend and secrets provider; nothing here is read by the provider at run time.
COEXIST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COEXIST_TOOLS="$COEXIST_ROOT/.tools"
export COEXIST_ROOT COEXIST_TOOLS

# Node >= 22 from .tools/node when the system one is older; the Pulumi CLI and language host in
# .tools/bin; pulumi-resource-pulumi-nodejs (the dynamic-provider host shim) from @pulumi/pulumi.
export PATH="$COEXIST_TOOLS/bin:$COEXIST_TOOLS/node/bin:$COEXIST_ROOT/node_modules/@pulumi/pulumi:$PATH"

export PULUMI_HOME="$COEXIST_TOOLS/pulumi-home"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_BACKEND_URL="${COEXIST_BACKEND_URL:-file://$COEXIST_ROOT/.pulumi-state}"
# The demo's passphrase: it protects only rehearsal stacks on this machine.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-coexist-rehearsal}"
