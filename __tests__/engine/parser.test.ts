import {
  delimiterOf,
  parseSqlFile,
  rollbackStatements,
  upgradeStatements,
} from '../../src/engine/sql-file.js';
import { pyStrip, pyRstripChars } from '../../src/engine/pystr.js';

// The cases of Python Jetbase's own parser unit tests (tests/unit/test_file_parser.py), grouped.
describe('upgrade section: statements in execution mode', () => {
  test('a single statement loses its trailing ;', () => {
    expect(upgradeStatements('SELECT 1;')).toEqual(['SELECT 1']);
  });
  test('three statements on separate indented lines', () => {
    expect(
      upgradeStatements(
        '  CREATE TABLE a (id INT);\n    INSERT INTO a VALUES (1);\n\tINSERT INTO a VALUES (2);\n',
      ),
    ).toEqual(['CREATE TABLE a (id INT)', 'INSERT INTO a VALUES (1)', 'INSERT INTO a VALUES (2)']);
  });
  test('a multi-line statement is joined with single spaces', () => {
    const sql =
      'CREATE TABLE users (\n    id INT PRIMARY KEY,\n    name VARCHAR(100),\n    email VARCHAR(255)\n);';
    expect(upgradeStatements(sql)).toEqual([
      'CREATE TABLE users ( id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(255) )',
    ]);
  });
  test('whole-line comments are ignored anywhere', () => {
    expect(upgradeStatements('-- a\nSELECT\n-- b\n1;\n   -- c')).toEqual(['SELECT 1']);
  });
  test.each(['-- rollback', '-- ROLLBACK', '--   rollback   ', '--rollback', '  -- Rollback'])(
    'the upgrade section stops at the rollback marker %j',
    (marker) => {
      expect(upgradeStatements(`SELECT 1;\n${marker}\nSELECT 2;`)).toEqual(['SELECT 1']);
      expect(rollbackStatements(`SELECT 1;\n${marker}\nSELECT 2;`)).toEqual(['SELECT 2']);
    },
  );
  test.each(['---rollback', '-- rollback;', '-- rollback section'])('%j is not a marker', (line) => {
    expect(upgradeStatements(`SELECT 1;\n${line}\nSELECT 2;`)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(rollbackStatements(`SELECT 1;\n${line}\nSELECT 2;`)).toEqual([]);
  });
  test('an empty file, a file of comments and a file of only the marker have no statements', () => {
    expect(upgradeStatements('')).toEqual([]);
    expect(upgradeStatements('-- x\n-- y\n')).toEqual([]);
    expect(upgradeStatements('-- rollback\n')).toEqual([]);
    expect(rollbackStatements('-- rollback\n')).toEqual([]);
  });
  test('a line without ; merges into the next statement', () => {
    expect(upgradeStatements("CREATE TABLE t (name VARCHAR(100))\nINSERT INTO t VALUES ('a');")).toEqual([
      "CREATE TABLE t (name VARCHAR(100)) INSERT INTO t VALUES ('a')",
    ]);
  });
  test('blank lines are ignored anywhere', () => {
    expect(upgradeStatements('\n\nSELECT\n\n1;\n\n')).toEqual(['SELECT 1']);
  });
  test('with the delimiter ~ an inner ; stays in the statement', () => {
    const sql =
      '-- jetbase: delimiter=~\nCREATE TABLE a (id INT);~\nCREATE FUNCTION f() RETURNS INT AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;~\nSELECT 1~\n';
    expect(upgradeStatements(sql)).toEqual([
      'CREATE TABLE a (id INT);',
      'CREATE FUNCTION f() RETURNS INT AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;',
      'SELECT 1',
    ]);
  });
});

describe('rollback section: statements after the marker', () => {
  test('multi-line statements, comments, marker case and spacing', () => {
    const sql =
      'CREATE TABLE a (id INT);\n--   ROLLBACK  \n-- drop it\nDROP\n  TABLE a;\n-- rollback\nSELECT 2;';
    expect(rollbackStatements(sql)).toEqual(['DROP TABLE a', 'SELECT 2']);
  });
  test('no rollback section, or an empty one, has no statements', () => {
    expect(rollbackStatements('SELECT 1;')).toEqual([]);
    expect(rollbackStatements('SELECT 1;\n-- rollback\n\n')).toEqual([]);
  });
  test('a missing ; merges lines; an unterminated tail is dropped and reported', () => {
    const parsed = parseSqlFile('SELECT 1;\n-- rollback\nDELETE FROM a\nWHERE id = 1;\nDROP TABLE a');
    expect(parsed.rollback.statements.map((s) => s.sql)).toEqual(['DELETE FROM a WHERE id = 1']);
    expect(parsed.rollback.unterminated).toEqual({ line: 5, text: 'DROP TABLE a' });
  });
  test('a custom delimiter keeps the ; that stands before ~', () => {
    const sql =
      '-- jetbase: delimiter=~\nSELECT 1~\n-- rollback\nDROP TRIGGER IF EXISTS users_updated_at ON users;~\n';
    expect(rollbackStatements(sql)).toEqual(['DROP TRIGGER IF EXISTS users_updated_at ON users;']);
  });
});

describe('delimiter directive', () => {
  test('without a directive the delimiter is ;', () => expect(delimiterOf(['SELECT 1;'])).toBe(';'));
  test('-- jetbase: delimiter=~ sets ~', () => expect(delimiterOf(['-- jetbase: delimiter=~'])).toBe('~'));
  test('a directive after a comment line, without spaces, sets $$', () =>
    expect(delimiterOf(['-- a comment', '--jetbase:delimiter=$$'])).toBe('$$'));
  test('an upper-case directive counts', () => expect(delimiterOf(['-- JETBASE: DELIMITER=|'])).toBe('|'));
  test('a directive after the first SQL line is ignored', () =>
    expect(delimiterOf(['SELECT 1;', '-- jetbase: delimiter=~'])).toBe(';'));
  test('space before = is not a directive', () =>
    expect(delimiterOf(['-- jetbase: delimiter =~'])).toBe(';'));
  test('$$ strips every trailing $ (a character-set strip, as Python rstrip(chars))', () => {
    expect(upgradeStatements('-- jetbase: delimiter=$$\nSELECT 1$$$\n')).toEqual(['SELECT 1']);
  });
});

describe("Python's whitespace set", () => {
  test('strips U+001C–U+001F and U+0085 but not the BOM', () => {
    expect(pyStrip('\u001c\u0085 x \u3000')).toBe('x');
    expect(pyStrip('\ufeffx')).toBe('\ufeffx');
  });
  test('rstrip(chars) is a set strip', () => {
    expect(pyRstripChars('a;;', ';')).toBe('a');
    expect(pyRstripChars('users;~', '~')).toBe('users;');
  });
  test('lone CR ends a line', () => {
    expect(upgradeStatements('SELECT 1;\rSELECT 2;')).toEqual(['SELECT 1', 'SELECT 2']);
  });
});

describe('preview mode', () => {
  test('keeps indentation, joins with newlines', () => {
    const parsed = parseSqlFile('CREATE TABLE a (\n    id INT\n);\n-- rollback\nDROP TABLE a;', 'preview');
    expect(parsed.upgrade.statements.map((s) => s.sql)).toEqual(['CREATE TABLE a (\n    id INT\n)']);
    expect(parsed.rollback.statements.map((s) => s.sql)).toEqual(['DROP TABLE a']);
  });
  test('an indented marker is not recognised in preview mode (verified upstream quirk)', () => {
    const parsed = parseSqlFile('SELECT 1;\n    -- rollback\nSELECT 2;', 'preview');
    expect(parsed.upgrade.statements.map((s) => s.sql)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(parsed.rollback.statements).toEqual([]);
  });
});
