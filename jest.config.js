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
  setupFiles: ['<rootDir>/__tests__/setup-env.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
