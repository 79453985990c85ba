// Prints Jest's JSON results as the one closing line CI reads: `N passed, N failed, N skipped`.
// Exits non-zero when anything failed, a suite failed to run, or no test ran at all. Further
// arguments name checks outside Jest that failed (test.sh's leftover processes); each counts
// as one failed test.
const fs = require("node:fs");
const file = process.argv[2];
const failedChecks = process.argv.slice(3);
if (!file || !fs.existsSync(file)) {
  console.log("0 passed, 1 failed");
  console.error(`no Jest results at ${file}`);
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, "utf8"));
const failed = r.numFailedTests + r.numRuntimeErrorTestSuites + failedChecks.length;
const skipped = r.numPendingTests + r.numTodoTests;
for (const suite of r.testResults) {
  for (const t of suite.assertionResults) {
    if (t.status === "pending") console.log(`skipped: ${t.fullName}`);
  }
}
for (const check of failedChecks) console.log(`failed: ${check}`);
console.log(`${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || r.numPassedTests === 0 ? 1 : 0);
