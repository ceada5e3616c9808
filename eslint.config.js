// Lint rules for keygate: typescript-eslint's recommended type-aware set.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'scratch/',
      'node_modules/',
      'data/',
      'test-artifacts/',
      'bench/results/',
      'examples/*/dist/',
      'examples/*/node_modules/',
      // Imports the installed package ('keygate'), which only the packed-example tests provide.
      'examples/*/keygate.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs', 'src/html/static/*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['it', 'describe', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  // The examples import the installed `keygate` package, which a checkout does not have: their
  // type-aware checks run in test/package/examples.test.ts, against the packed package.
  {
    files: ['examples/**/*.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  // The browsable API's script runs in the browser, not in Node.
  {
    files: ['src/html/static/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
);
