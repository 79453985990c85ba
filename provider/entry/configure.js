// The provider host's config reads a bare key in the project's namespace (<project>:exchange);
// coexist's keys are coexist:* whatever the project is called (a customer project made from the
// template has its own name), so bare keys are read as coexist:<key>.
module.exports = (req) => {
  const key = (k) => (k.includes(":") ? k : `coexist:${k}`);
  return { ...req, config: { get: (k) => req.config.get(key(k)), require: (k) => req.config.require(key(k)) } };
};
