// `require("@coexist/provider/testing")`: the tests' helpers (provider/src/testing).
module.exports = require("./dist/testing");
