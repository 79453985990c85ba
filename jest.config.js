// Tests are TypeScript compiled by `tsc -b` (the provider host runs plain JS anyway);
// Jest runs the compiled files: unit tests beside the provider code, end-to-end tests in test/.
/** @type {import('jest').Config} */
module.exports = {
  testMatch: ["<rootDir>/provider/dist/**/*.test.js", "<rootDir>/dist/test/**/*.test.js"],
  testEnvironment: "node",
  testTimeout: 10 * 60 * 1000,
  maxWorkers: 2,
};
