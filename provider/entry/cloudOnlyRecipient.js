// Serialized into state as require("@coexist/entry/cloudOnlyRecipient.js"): keep it static and tiny.
module.exports = require("./kind")("cloudOnlyRecipient");
