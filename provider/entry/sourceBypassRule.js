// Serialized into state as require("@coexist/entry/sourceBypassRule.js"): keep it static and tiny.
module.exports = require("./kind")("sourceBypassRule");
