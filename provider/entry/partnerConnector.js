// Serialized into state as require("@coexist/entry/partnerConnector.js"): keep it static and tiny.
module.exports = require("./kind")("partnerConnector");
