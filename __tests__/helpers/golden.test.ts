import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { GoldenFileError, goldenText, onCi } from './golden.js';

describe('golden files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'golden-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('under CI=true a missing golden file fails the test with how to create it, and nothing is written', () => {
    const file = path.join(dir, 'missing.md');
    expect(() => goldenText(file, 'actual', { CI: 'true' })).toThrow(GoldenFileError);
    expect(() => goldenText(file, 'actual', { CI: 'true' })).toThrow(
      /is missing\. Create it locally .*UPDATE_GOLDEN=1/,
    );
    expect(existsSync(file)).toBe(false);
  });

  test('under CI=true UPDATE_GOLDEN=1 is refused and the stored file is kept', () => {
    const file = path.join(dir, 'stored.md');
    writeFileSync(file, 'stored');
    expect(() => goldenText(file, 'actual', { CI: 'true', UPDATE_GOLDEN: '1' })).toThrow(/refused under CI/);
    expect(readFileSync(file, 'utf8')).toBe('stored');
    expect(goldenText(file, 'actual', { CI: 'true' })).toBe('stored');
  });

  test('locally a missing golden file is written from the actual output; UPDATE_GOLDEN=1 rewrites a stored one', () => {
    const file = path.join(dir, 'new.md');
    expect(goldenText(file, 'first', {})).toBe('first');
    expect(goldenText(file, 'second', { CI: 'false' })).toBe('first');
    expect(goldenText(file, 'second', { UPDATE_GOLDEN: '1' })).toBe('second');
    expect(readFileSync(file, 'utf8')).toBe('second');
  });

  test('CI counts as set unless empty, false or 0', () => {
    expect([onCi({ CI: 'true' }), onCi({ CI: '1' }), onCi({ CI: 'TRUE' })]).toEqual([true, true, true]);
    expect([onCi({}), onCi({ CI: '' }), onCi({ CI: 'false' }), onCi({ CI: '0' })]).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
