import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { UsageError } from '../../src/engine/errors.js';
import { newMigration } from '../../src/engine/scaffold.js';

describe('new: the description is stripped as Python strips the name when reading it back', () => {
  let jetbaseDir: string;
  beforeEach(() => {
    jetbaseDir = path.join(mkdtempSync(path.join(tmpdir(), 'scaffold-')), 'jetbase');
    mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  });
  afterEach(() => rmSync(path.dirname(jetbaseDir), { recursive: true, force: true }));

  test('a description of only Python whitespace (U+001C, U+0085) is empty: an error, and no file', () => {
    expect(() => newMigration(jetbaseDir, '\u001c\u0085', '1')).toThrow(UsageError);
    expect(() => newMigration(jetbaseDir, '\u001c\u0085', '1')).toThrow('The description must not be empty.');
    expect(readdirSync(path.join(jetbaseDir, 'migrations'))).toEqual([]);
  });

  test('Python whitespace around a description is removed from the file name', () => {
    newMigration(jetbaseDir, '\u001fadd users\u0085', '2');
    expect(existsSync(path.join(jetbaseDir, 'migrations', 'V2__add_users.sql'))).toBe(true);
  });
});
