module.exports = require('../../config/eslint-factory')(__dirname);
