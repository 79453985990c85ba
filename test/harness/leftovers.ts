import { describeProcess, processesWithEnv } from "./processes";

/*
 * Run by scripts/test.sh after Jest: `node dist/test/harness/leftovers.js <run id>`. Every
 * process the test run started carries COEXIST_TEST_RUN=<run id> in its environment (test.sh
 * exports it; Pulumi hands its environment to its plugins, the provider to its runners), so
 * this finds what the run left behind even once it is re-parented to init and its project
 * folder is gone, and never another checkout's or another run's processes. Processes still
 * shutting down get a grace period; those left after it are named, ended (so that failed runs
 * do not pile up on the machine), and fail the run.
 */
const id = process.argv[2];
if (!id) {
  console.error("usage: leftovers.js <COEXIST_TEST_RUN>");
  process.exit(2);
}
const GRACE_MS = 30_000;
const mark = `COEXIST_TEST_RUN=${id}`;

async function main(): Promise<number> {
  const deadline = Date.now() + GRACE_MS;
  let left = processesWithEnv(mark);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = processesWithEnv(mark);
  }
  if (left.length === 0) return 0;
  console.log(`${left.length} process(es) started by this test run still running ${GRACE_MS / 1000} s after the tests ended:`);
  for (const p of left) console.log(`  left running: ${describeProcess(p)}`);
  for (const p of left) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  console.log("  (ended now by the check)");
  return 1;
}

void main().then((code) => process.exit(code));
