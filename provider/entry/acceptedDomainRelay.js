// Serialized into state as require("@coexist/entry/acceptedDomainRelay.js"): keep it static and tiny.
module.exports = require("./kind")("acceptedDomainRelay");
