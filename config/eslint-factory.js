// Our lint rules on top of Backstage's, for every package (see each .eslintrc.js):
// no `any` in production code, and no production file longer than a reader takes in at
// once (400 lines) unless its header says why with `eslint-disable max-lines -- <why>`.
const backstageConfig = require('@backstage/cli/config/eslint-factory');

module.exports = (dir, extraConfig = {}) =>
  backstageConfig(dir, {
    ...extraConfig,
    tsRules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'max-lines': ['error', { max: 400 }],
      ...extraConfig.tsRules,
    },
    testRules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'max-lines': 'off',
      ...extraConfig.testRules,
    },
    overrides: [
      // Generated from a spec: as long as the spec is.
      {
        files: ['**/src/**/generated/**/*.ts'],
        rules: { 'max-lines': 'off' },
      },
      ...(extraConfig.overrides ?? []),
    ],
  });
