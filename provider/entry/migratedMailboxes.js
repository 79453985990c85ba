// Serialized into state as require("@coexist/entry/migratedMailboxes.js"): keep it static and tiny.
module.exports = require("./kind")("migratedMailboxes");
