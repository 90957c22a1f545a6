// ESLint flat config: core recommended rules, security patterns
// (eslint-plugin-security) and Node.js rules (eslint-plugin-n), including a hard
// error on deprecated Node APIs. `npm run lint` allows no warnings.
import js from '@eslint/js';
import n from 'eslint-plugin-n';
import security from 'eslint-plugin-security';
import globals from 'globals';

export default [
  { ignores: ['node_modules/', 'coverage/'] },
  js.configs.recommended,
  security.configs.recommended,
  n.configs['flat/recommended-module'],
  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: globals.node,
    },
    rules: {
      'n/no-deprecated-api': 'error',
    },
  },
  {
    // Tests read this project's own files (lockfile, Dockerfile, ...) by fixed
    // relative URLs; the rule guards request input reaching fs, which tests have none of.
    files: ['test/**/*.js'],
    rules: {
      'security/detect-non-literal-fs-filename': 'off',
    },
  },
];
