// Serialized into state as require("@coexist/entry/migratedUsersGroup.js"): keep it static and tiny.
module.exports = require("./kind")("migratedUsersGroup");
