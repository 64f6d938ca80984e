// The reliability suite (reliability/run.mjs runs it): the project's jest setup, its own files,
// one file at a time (kill timings and throughput figures need the machine to themselves).
import base from '../jest.config.js';

export default {
  ...base,
  rootDir: '..',
  testMatch: ['<rootDir>/reliability/**/*.reliability.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Every loop below is bounded in count and time; this is the backstop (a full run is ~20 min).
  testTimeout: 40 * 60 * 1000,
  maxWorkers: 1,
};
