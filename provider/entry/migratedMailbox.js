// Serialized into state as require("@coexist/entry/migratedMailbox"): keep it static and tiny.
const h = () => require("@coexist/provider").resourceHandlers;
const coexistConfig = require("./configure");
module.exports = {
  configure: (req) => h().configure(coexistConfig(req)),
  check: (olds, news) => h().migratedMailbox.check(olds, news),
  diff: (id, olds, news) => h().migratedMailbox.diff(id, olds, news),
  create: (inputs) => h().migratedMailbox.create(inputs),
  read: (id, props) => h().migratedMailbox.read(id, props),
  update: (id, olds, news) => h().migratedMailbox.update(id, olds, news),
  delete: (id, props) => h().migratedMailbox.delete(id, props),
};
