module.exports = require('../../config/eslint-factory')(__dirname, {
  rules: {
    // The benchmarks assemble the scorecard backend plugin, as a backend does.
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
