// Serialized into state as require("@coexist/entry/sourceBypassRule"): keep it static and tiny.
const h = () => require("@coexist/provider").resourceHandlers;
const coexistConfig = require("./configure");
module.exports = {
  configure: (req) => h().configure(coexistConfig(req)),
  check: (olds, news) => h().sourceBypassRule.check(olds, news),
  diff: (id, olds, news) => h().sourceBypassRule.diff(id, olds, news),
  create: (inputs) => h().sourceBypassRule.create(inputs),
  read: (id, props) => h().sourceBypassRule.read(id, props),
  update: (id, olds, news) => h().sourceBypassRule.update(id, olds, news),
  delete: (id, props) => h().sourceBypassRule.delete(id, props),
};
