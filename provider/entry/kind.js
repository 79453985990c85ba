// The provider object of one resource kind. Each <kind>.js exports one, so the closure serializer
// records it in state as require("@coexist/entry/<kind>.js"): a few bytes per resource, and
// destroy/refresh always run the installed code. The handlers are looked up on each call, in
// the provider process, from @coexist/provider's registry (resources/handlers.ts).
const coexistConfig = require("./configure");
module.exports = (kind) => {
  const h = () => require("@coexist/provider").resourceHandlers;
  return {
    configure: (req) => h().configure(coexistConfig(req)),
    check: (olds, news) => h()[kind].check(olds, news),
    diff: (id, olds, news) => h()[kind].diff(id, olds, news),
    create: (inputs) => h()[kind].create(inputs),
    read: (id, props) => h()[kind].read(id, props),
    update: (id, olds, news) => h()[kind].update(id, olds, news),
    delete: (id, props) => h()[kind].delete(id, props),
  };
};
