import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'lib/', 'dist/', 'coverage/', '.tmp/', 'bench/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine knows no driver and nothing of GitHub: dialects and shells depend on it, never the reverse.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'pg',
                'mysql2',
                'mysql2/*',
                'better-sqlite3',
                'node:sqlite',
                'snowflake-sdk',
                '@databricks/*',
              ],
              message: 'The engine imports no driver.',
            },
            { group: ['@actions/*'], message: 'The engine knows nothing of GitHub Actions.' },
            {
              group: ['../dialects/*', '../cli/*', '../action/*', '../config/*'],
              message: 'The engine depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The run layer and the renderers serve both shells: neither knows GitHub Actions nor a shell.
    files: ['src/run/**/*.ts', 'src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*', '@octokit/*'], message: 'Only src/action/ knows GitHub Actions.' },
            {
              group: ['../cli/*', '../action/*'],
              message: 'The shells call the run layer, never the reverse.',
            },
          ],
        },
      ],
    },
  },
);
