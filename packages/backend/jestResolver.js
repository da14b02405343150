// kubernetes-models and @kubernetes-models/* are ES modules that export only under the
// `import` condition, which Jest (resolving for `require`) never asks for; swc turns them
// into CommonJS once found. Every other package resolves exactly as before.
const ESM_ONLY = /^(?:kubernetes-models|@kubernetes-models\/[^/]+)(?:\/|$)/;

module.exports = (request, options) =>
  options.defaultResolver(
    request,
    ESM_ONLY.test(request)
      ? { ...options, conditions: [...(options.conditions ?? []), 'import'] }
      : options,
  );
