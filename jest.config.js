// Jest in ESM mode (the package is "type": "module"); ts-jest transpiles only, `npm run typecheck`
// type-checks the whole tree once instead of per test file.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // `*.node24.test.ts` need Node ≥ 22.5 (node:sqlite); scripts/test.sh runs them under the node@24 package.
  testPathIgnorePatterns: process.env.JETBASE_NODE24_TESTS
    ? ['/node_modules/']
    : ['/node_modules/', '\\.node24\\.test\\.ts$'],
  setupFiles: ['<rootDir>/__tests__/setup-env.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
