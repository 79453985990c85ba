// Serialized into state as require("@coexist/entry/acceptedDomainRelay"): keep it static and tiny.
const h = () => require("@coexist/provider").resourceHandlers;
const coexistConfig = require("./configure");
module.exports = {
  configure: (req) => h().configure(coexistConfig(req)),
  check: (olds, news) => h().acceptedDomainRelay.check(olds, news),
  diff: (id, olds, news) => h().acceptedDomainRelay.diff(id, olds, news),
  create: (inputs) => h().acceptedDomainRelay.create(inputs),
  read: (id, props) => h().acceptedDomainRelay.read(id, props),
  update: (id, olds, news) => h().acceptedDomainRelay.update(id, olds, news),
  delete: (id, props) => h().acceptedDomainRelay.delete(id, props),
};
