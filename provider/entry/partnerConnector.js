// Serialized into state as require("@coexist/entry/partnerConnector"): keep it static and tiny.
const h = () => require("@coexist/provider").resourceHandlers;
const coexistConfig = require("./configure");
module.exports = {
  configure: (req) => h().configure(coexistConfig(req)),
  check: (olds, news) => h().partnerConnector.check(olds, news),
  diff: (id, olds, news) => h().partnerConnector.diff(id, olds, news),
  create: (inputs) => h().partnerConnector.create(inputs),
  read: (id, props) => h().partnerConnector.read(id, props),
  update: (id, olds, news) => h().partnerConnector.update(id, olds, news),
  delete: (id, props) => h().partnerConnector.delete(id, props),
};
