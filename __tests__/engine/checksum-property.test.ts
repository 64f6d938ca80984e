import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { checksumOfStatements } from '../../src/engine/checksum.js';
import { upgradeStatements } from '../../src/engine/sql-file.js';
import {
  PYTHON_REFERENCE,
  referenceChecksum,
  referenceUpgradeStatements,
} from '../helpers/reference-checksum.js';
import { sqlFileText } from '../helpers/sql-generator.js';

describe('checksum equals the §4.2 reference on random files', () => {
  test('against the TypeScript reference port (20,000 files)', () => {
    fc.assert(
      fc.property(sqlFileText, (text) => {
        expect(upgradeStatements(text)).toEqual(referenceUpgradeStatements(text));
        expect(checksumOfStatements(upgradeStatements(text))).toBe(referenceChecksum(text));
      }),
      { numRuns: 20000, seed: 20261125 },
    );
  });

  const hasPython = spawnSync('python3', ['--version']).status === 0;
  (hasPython ? test : test.skip)(
    'against the Python reference itself (2,000 files, one python3 process)',
    () => {
      const texts = fc.sample(sqlFileText, { numRuns: 2000, seed: 4242 });
      const python: string[] = JSON.parse(
        execFileSync('python3', ['-c', PYTHON_REFERENCE], {
          input: JSON.stringify(texts),
          maxBuffer: 64 << 20,
        }).toString(),
      );
      const ours = texts.map((t) => checksumOfStatements(upgradeStatements(t)));
      const disagreements = texts.filter((_, i) => ours[i] !== python[i]);
      expect(disagreements).toEqual([]);
    },
  );
});
