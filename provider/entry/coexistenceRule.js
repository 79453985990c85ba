// Serialized into state as require("@coexist/entry/coexistenceRule"): keep it static and tiny.
const h = () => require("@coexist/provider").resourceHandlers;
const coexistConfig = require("./configure");
module.exports = {
  configure: (req) => h().configure(coexistConfig(req)),
  check: (olds, news) => h().coexistenceRule.check(olds, news),
  diff: (id, olds, news) => h().coexistenceRule.diff(id, olds, news),
  create: (inputs) => h().coexistenceRule.create(inputs),
  read: (id, props) => h().coexistenceRule.read(id, props),
  update: (id, olds, news) => h().coexistenceRule.update(id, olds, news),
  delete: (id, props) => h().coexistenceRule.delete(id, props),
};
