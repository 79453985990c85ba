// Serialized into state as require("@coexist/entry/migratedMailbox.js"): keep it static and tiny.
module.exports = require("./kind")("migratedMailbox");
