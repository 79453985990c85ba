// Serialized into state as require("@coexist/entry/coexistenceRule.js"): keep it static and tiny.
module.exports = require("./kind")("coexistenceRule");
