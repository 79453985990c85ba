// Serialized into state as require("@coexist/entry/migratedUsersGroup"): keep it static and tiny.
const h = () => require("@coexist/provider").resourceHandlers;
const coexistConfig = require("./configure");
module.exports = {
  configure: (req) => h().configure(coexistConfig(req)),
  check: (olds, news) => h().migratedUsersGroup.check(olds, news),
  diff: (id, olds, news) => h().migratedUsersGroup.diff(id, olds, news),
  create: (inputs) => h().migratedUsersGroup.create(inputs),
  read: (id, props) => h().migratedUsersGroup.read(id, props),
  update: (id, olds, news) => h().migratedUsersGroup.update(id, olds, news),
  delete: (id, props) => h().migratedUsersGroup.delete(id, props),
};
