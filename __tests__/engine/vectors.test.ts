import { checksumOfStatements } from '../../src/engine/checksum.js';
import { parseSqlFile, rollbackStatements, upgradeStatements } from '../../src/engine/sql-file.js';

// The worked examples of docs/format.md, "Checksums": a checksum that differs from Jetbase's on
// any file fails every validation of a database Jetbase migrated.
const vectors: Array<{
  id: string;
  text: string;
  statements: string[];
  checksum: string;
  rollback?: string[];
}> = [
  {
    id: "Jetbase's V1__m1.sql: a multi-line CREATE TABLE without a final newline",
    text: 'CREATE TABLE users (\n    id SERIAL PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n);',
    statements: ['CREATE TABLE users ( id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL )'],
    checksum: 'd2f84e0a79e8039495a9c8a5186a397c7798109039aba234392315c7fc5296d5',
  },
  {
    id: "Jetbase's V2__m2.sql: one INSERT and a --rollback section",
    text: "INSERT INTO users (name) VALUES ('mike2');\n\n--rollback\nDELETE FROM users WHERE name = 'mike2';",
    statements: ["INSERT INTO users (name) VALUES ('mike2')"],
    checksum: '9aea75ac1662c9e06491f28c86e9b125bc483e7e6e1f5ecc5adefb2a3dc38903',
    rollback: ["DELETE FROM users WHERE name = 'mike2'"],
  },
  {
    id: "Jetbase's RA__ra.sql: a single statement",
    text: "INSERT INTO users (name) VALUES ('always mike');",
    statements: ["INSERT INTO users (name) VALUES ('always mike')"],
    checksum: '078fdd54cc70b79296ce8fddcd7cd6c620d90ad7b15e07809c739ed7e34708f3',
  },
  {
    id: 'comments, a ; inside a literal, a doubled ;; and an unterminated SELECT 1',
    text: "-- upgrade\n-- create the table\nCREATE TABLE items (\n    id INT PRIMARY KEY,\n    name VARCHAR(100) NOT NULL\n);\n\nINSERT INTO items (id, name) VALUES (1, 'a;b');\n  INSERT INTO items VALUES (2, 'x');;\nSELECT 1\n\n-- rollback\nDROP TABLE items;\n",
    statements: [
      'CREATE TABLE items ( id INT PRIMARY KEY, name VARCHAR(100) NOT NULL )',
      "INSERT INTO items (id, name) VALUES (1, 'a;b')",
      "INSERT INTO items VALUES (2, 'x')",
    ],
    checksum: '4e6e0b18ac4b1d096c3325610f294f4058a5ce79754d0da415bf177b65761adc',
    rollback: ['DROP TABLE items'],
  },
  {
    id: 'the delimiter directive ~ keeps the inner ; of a function body',
    text: '-- jetbase: delimiter=~\n\nCREATE OR REPLACE FUNCTION f()\nRETURNS TRIGGER AS $$\nBEGIN\n    NEW.updated_at = NOW();\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;~\n\n-- rollback\nDROP FUNCTION IF EXISTS f();~\n',
    statements: [
      'CREATE OR REPLACE FUNCTION f() RETURNS TRIGGER AS $$ BEGIN NEW.updated_at = NOW(); RETURN NEW; END; $$ LANGUAGE plpgsql;',
    ],
    checksum: '8fb2f0cd3846b5c51b25b44eddf478e149395c3d4d5983be4304dc88248c2932',
    rollback: ['DROP FUNCTION IF EXISTS f();'],
  },
  {
    id: 'CRLF line ends and an upper-case --ROLLBACK marker',
    text: 'CREATE TABLE t (id INT);\r\nINSERT INTO t VALUES (1);\r\n--ROLLBACK\r\nDROP TABLE t;\r\n',
    statements: ['CREATE TABLE t (id INT)', 'INSERT INTO t VALUES (1)'],
    checksum: '4244054d652bec11ed30e8ce1a003e9bc9de8ec2872ca6bc018f5a216c427eb6',
    rollback: ['DROP TABLE t'],
  },
  {
    id: 'a file of only a comment hashes the empty string',
    text: '-- only a comment\n',
    statements: [],
    checksum: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    id: 'a BOM stays part of the first statement',
    text: '\ufeffSELECT 1;\n',
    statements: ['\ufeffSELECT 1'],
    checksum: 'df34c86878a360f5a6bf2db2dba77d04776f63913c7134bbf6838ee50d841498',
  },
  {
    id: 'a comment after ; on the same line merges it with the next statement',
    text: 'SELECT 1; -- trailing comment\nSELECT 2;\n',
    statements: ['SELECT 1; -- trailing comment SELECT 2'],
    checksum: '73e7553c459c08c67f6c84291d0d15e88cc5f6ab08703071b3bd7f871c0c919d',
  },
  {
    id: "a dotless ı in the directive matches i, as Python's re.IGNORECASE does",
    text: '-- jetbase: del\u0131miter=~\nSELECT 1;~\n',
    statements: ['SELECT 1;'],
    checksum: '17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a',
  },
  {
    id: "U+001C and U+0085 are spaces of the directive, as Python's \\s has them",
    text: '--\u001cjetbase:\u0085delimiter=~\nSELECT 1~\n',
    statements: ['SELECT 1'],
    checksum: 'e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5',
  },
  {
    id: 'U+FEFF is not a space to Python, so the line is no directive and ~ ends nothing',
    text: '--\ufeffjetbase: delimiter=~\nSELECT 1~\n',
    statements: [],
    checksum: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
];

describe('the worked checksum examples give their statements and checksums', () => {
  test.each(vectors)('$id', ({ text, statements, checksum, rollback }) => {
    expect(upgradeStatements(text)).toEqual(statements);
    expect(checksumOfStatements(upgradeStatements(text))).toBe(checksum);
    if (rollback) expect(rollbackStatements(text)).toEqual(rollback);
  });

  test('the unterminated SELECT 1 of the comments example is reported with its line', () => {
    const parsed = parseSqlFile(vectors[3]!.text);
    expect(parsed.upgrade.unterminated).toEqual({ line: 10, text: 'SELECT 1' });
  });

  test('a comment after the delimiter on the same line is reported as a warning with its line', () => {
    expect(parseSqlFile(vectors[8]!.text).upgrade.trailingCommentLines).toEqual([1]);
  });
});
