/**
 * The linter against a corpus per dialect: risky and safe statements (trigger and function bodies
 * with custom delimiters among them), each with the exact findings expected as `line rule`.
 */
import { parseSqlFile, type DialectName } from '../../src/engine/index.js';
import { lintMigrations, type LintReport } from '../../src/lint/index.js';

interface Case {
  readonly name: string;
  /** Files in run order: [name, text]. */
  readonly files: readonly (readonly [string, string])[];
  /** `file:line rule`, in report order. */
  readonly expected: readonly string[];
}

async function lint(dialect: DialectName, files: Case['files']): Promise<LintReport> {
  return lintMigrations(
    files.map(([name, text]) => ({ relativePath: `migrations/${name}`, text, parsed: parseSqlFile(text) })),
    { dialect },
  );
}

const shown = (report: LintReport) =>
  report.findings.map((f) => `${f.file.slice('migrations/'.length)}:${f.line} ${f.rule}`);

const CORPUS: Readonly<Record<DialectName, readonly Case[]>> = {
  postgresql: [
    {
      name: 'destructive statements',
      files: [
        [
          'V1__x.sql',
          'DROP TABLE users;\nALTER TABLE orders DROP COLUMN note;\nDROP SCHEMA old CASCADE;\nTRUNCATE logs;\nDELETE FROM sessions;\nUPDATE users SET active = false;\n',
        ],
      ],
      expected: [
        'V1__x.sql:1 drop-table',
        'V1__x.sql:2 drop-column',
        'V1__x.sql:3 drop-schema',
        'V1__x.sql:4 truncate',
        'V1__x.sql:5 delete-without-where',
        'V1__x.sql:6 update-without-where',
      ],
    },
    {
      name: 'locking statements on existing tables, none on a table the set created',
      files: [
        [
          'V1__x.sql',
          [
            'CREATE TABLE fresh (id int, email text);',
            'CREATE INDEX fresh_email ON fresh (email);',
            'ALTER TABLE fresh ALTER COLUMN email SET NOT NULL;',
            'CREATE INDEX users_email ON users (email);',
            'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
            'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);',
            'ALTER TABLE orders ADD CONSTRAINT orders_user2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
            'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);',
            'ALTER TABLE orders ALTER COLUMN total TYPE bigint;',
            'ALTER TABLE orders ADD COLUMN region text NOT NULL;',
            "ALTER TABLE orders ADD COLUMN region2 text NOT NULL DEFAULT 'eu';",
            'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();',
            'ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();',
            'ALTER TABLE orders RENAME COLUMN total TO amount;',
            'ALTER TABLE orders RENAME TO purchases;',
          ].join('\n'),
        ],
      ],
      expected: [
        'V1__x.sql:4 create-index-not-concurrently',
        'V1__x.sql:5 set-not-null',
        'V1__x.sql:6 constraint-not-valid',
        'V1__x.sql:8 constraint-not-valid',
        'V1__x.sql:9 alter-column-type',
        'V1__x.sql:10 add-required-column',
        'V1__x.sql:12 add-column-volatile-default',
        'V1__x.sql:14 rename-column',
        'V1__x.sql:15 rename-table',
      ],
    },
    {
      name: 'a table created in an earlier pending file',
      files: [
        ['V1__a.sql', 'CREATE TABLE big (id int, email text);\n'],
        ['V2__b.sql', 'CREATE INDEX big_email ON big (email);\n'],
      ],
      expected: [],
    },
    {
      name: 'statements that cannot run in a transaction, and the directive that lets them',
      files: [
        [
          'V1__x.sql',
          'CREATE INDEX CONCURRENTLY big_email ON big (email);\nDROP INDEX CONCURRENTLY old_idx;\nREINDEX (CONCURRENTLY) TABLE big;\nVACUUM big;\nCREATE DATABASE other;\nALTER SYSTEM SET work_mem = 1;\n',
        ],
        [
          'V2__y.sql',
          '-- jetbase: transaction=off\nCREATE INDEX CONCURRENTLY big_name ON big (name);\nVACUUM big;\n',
        ],
      ],
      expected: [
        'V1__x.sql:1 non-transactional-statement',
        'V1__x.sql:2 non-transactional-statement',
        'V1__x.sql:3 non-transactional-statement',
        'V1__x.sql:4 non-transactional-statement',
        'V1__x.sql:5 non-transactional-statement',
        'V1__x.sql:6 non-transactional-statement',
      ],
    },
    {
      name: 'syntax errors, including a comment that hides the rest of a joined statement',
      files: [['V1__x.sql', 'CREAT TABLE x (a int);\nCREATE TABLE y (a int -- note\n, b int);\n']],
      expected: ['V1__x.sql:1 syntax-error', 'V1__x.sql:2 syntax-error'],
    },
    {
      name: 'safe SQL: a function and trigger with a custom delimiter, DML with WHERE, views',
      files: [
        [
          'V1__x.sql',
          [
            '-- jetbase: delimiter=~',
            'CREATE TABLE t (id serial PRIMARY KEY, n int NOT NULL)~',
            'CREATE FUNCTION bump() RETURNS trigger AS $$',
            'BEGIN',
            '  DELETE FROM audit;',
            '  UPDATE t SET n = n + 1;',
            '  RETURN NEW;',
            'END;',
            '$$ LANGUAGE plpgsql~',
            'CREATE TRIGGER t_bump AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump()~',
            'CREATE OR REPLACE VIEW v AS SELECT * FROM t~',
            'UPDATE t SET n = 0 WHERE id = 1~',
            'DELETE FROM t WHERE id = 2~',
            'INSERT INTO t (n) VALUES (1)~',
            'ALTER TABLE users ADD COLUMN nickname text~',
            'DROP VIEW IF EXISTS old_view~',
            'DROP INDEX CONCURRENTLY IF EXISTS x~',
          ].join('\n'),
        ],
      ],
      expected: ['V1__x.sql:17 non-transactional-statement'],
    },
  ],
  mysql: [
    {
      name: 'destructive, compatibility and MODIFY/CHANGE COLUMN',
      files: [
        [
          'V1__x.sql',
          'DROP TABLE users;\nALTER TABLE orders DROP COLUMN note;\nDROP DATABASE old;\nTRUNCATE TABLE logs;\nDELETE FROM sessions;\nUPDATE users SET active = 0;\nALTER TABLE orders MODIFY COLUMN total BIGINT;\nALTER TABLE orders CHANGE COLUMN total amount BIGINT;\nRENAME TABLE orders TO purchases;\nALTER TABLE users RENAME COLUMN a TO b;\n',
        ],
      ],
      expected: [
        'V1__x.sql:1 drop-table',
        'V1__x.sql:1 implicit-commit',
        'V1__x.sql:2 drop-column',
        'V1__x.sql:3 drop-schema',
        'V1__x.sql:4 truncate',
        'V1__x.sql:5 delete-without-where',
        'V1__x.sql:6 update-without-where',
        'V1__x.sql:7 alter-column-type',
        'V1__x.sql:8 alter-column-type',
        'V1__x.sql:8 rename-column',
        'V1__x.sql:9 rename-table',
        'V1__x.sql:10 rename-column',
      ],
    },
    {
      name: 'a file mixing DDL with DML; a trigger body is not looked into',
      files: [
        [
          'V1__x.sql',
          '-- jetbase: delimiter=$$\nCREATE TABLE t (id INT PRIMARY KEY, n INT)$$\nINSERT INTO t VALUES (1, 0)$$\nCREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN UPDATE counters SET n = n + 1; END$$\n',
        ],
        ['V2__y.sql', 'CREATE TABLE u (id INT);\nCREATE INDEX u_id ON u (id);\n'],
      ],
      expected: ['V1__x.sql:2 implicit-commit'],
    },
  ],
  sqlite: [
    {
      name: 'VACUUM in a transaction, destructive statements, and VACUUM with the directive',
      files: [
        [
          'V1__x.sql',
          'VACUUM;\nDROP TABLE users;\nDELETE FROM sessions;\nALTER TABLE t RENAME TO u;\nALTER TABLE t DROP COLUMN c;\n',
        ],
        ['V2__y.sql', '-- jetbase: transaction=off\nVACUUM;\n'],
      ],
      expected: [
        'V1__x.sql:1 non-transactional-statement',
        'V1__x.sql:2 drop-table',
        'V1__x.sql:3 delete-without-where',
        'V1__x.sql:4 rename-table',
        'V1__x.sql:5 drop-column',
      ],
    },
    {
      name: 'safe SQL with a trigger under a custom delimiter',
      files: [
        [
          'V1__x.sql',
          '-- jetbase: delimiter=/\nCREATE TABLE t (id INTEGER PRIMARY KEY, n INT)/\nCREATE TRIGGER trg AFTER INSERT ON t BEGIN\n  UPDATE counters SET n = n + 1;\n  DELETE FROM log;\nEND/\nCREATE INDEX t_n ON t (n)/\nINSERT INTO t (n) VALUES (1)/\n',
        ],
      ],
      expected: [],
    },
  ],
  snowflake: [
    {
      name: 'CREATE OR REPLACE TABLE (views are fine), destructive, DDL mixed with DML',
      files: [
        [
          'V1__x.sql',
          'CREATE OR REPLACE TABLE events (id INT);\nCREATE OR REPLACE VIEW v AS SELECT 1 AS a;\nDROP SCHEMA old;\nINSERT INTO events VALUES (1);\nUPDATE events SET id = 2;\n',
        ],
      ],
      expected: [
        'V1__x.sql:1 create-or-replace-table',
        'V1__x.sql:1 implicit-commit',
        'V1__x.sql:3 drop-schema',
        'V1__x.sql:5 update-without-where',
      ],
    },
    {
      name: 'safe SQL, a procedure body under a custom delimiter (the parser cannot read it: info only)',
      files: [
        [
          'V1__x.sql',
          "-- jetbase: delimiter=~\nCREATE TABLE IF NOT EXISTS t (id INT)~\nCREATE OR REPLACE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL AS $$ BEGIN DELETE FROM t; RETURN 'ok'; END $$~\n",
        ],
      ],
      expected: ['V1__x.sql:3 not-analyzed'],
    },
  ],
  databricks: [
    {
      name: 'valid Databricks SQL the parser cannot read is not analyzed, still checked by keywords',
      files: [
        [
          'V1__x.sql',
          'CREATE TABLE t (a INT) USING DELTA;\nALTER TABLE t ADD COLUMNS (b INT);\nCREATE OR REPLACE TABLE u (a INT) USING DELTA;\nDROP TABLE IF EXISTS old;\nALTER TABLE t DROP COLUMNS (b);\n',
        ],
      ],
      expected: [
        'V1__x.sql:1 not-analyzed',
        'V1__x.sql:2 not-analyzed',
        'V1__x.sql:3 not-analyzed',
        'V1__x.sql:3 create-or-replace-table',
        'V1__x.sql:4 drop-table',
        'V1__x.sql:5 not-analyzed',
        'V1__x.sql:5 drop-column',
      ],
    },
    {
      name: 'DDL mixed with DML, rename',
      files: [
        [
          'V1__x.sql',
          'CREATE TABLE IF NOT EXISTS t (a INT);\nINSERT INTO t VALUES (1);\nALTER TABLE t RENAME TO u;\n',
        ],
      ],
      expected: ['V1__x.sql:1 implicit-commit', 'V1__x.sql:3 rename-table'],
    },
  ],
};

describe.each(Object.entries(CORPUS))('lint on %s', (dialect, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const report = await lint(dialect as DialectName, c.files);
    expect(shown(report)).toEqual(c.expected);
    for (const finding of report.findings) {
      expect(finding.why).not.toBe('');
      expect(finding.safer).not.toBe('');
      expect(finding.statement).not.toBe('');
    }
  });
});

describe('allowing', () => {
  test('a comment above a statement allows it there; one in the header allows it in the whole file', async () => {
    const report = await lint('postgresql', [
      [
        'V1__x.sql',
        '-- jetbase-lint: allow truncate\n\nTRUNCATE a;\n-- why: it is a cache\n-- jetbase-lint: allow drop-table, drop-column\nDROP TABLE b;\nDROP TABLE c;\nTRUNCATE d;\n',
      ],
    ]);
    expect(shown(report)).toEqual(['V1__x.sql:7 drop-table']);
    expect(report.allowed).toEqual([
      { file: 'migrations/V1__x.sql', line: 3, rule: 'truncate', scope: 'file' },
      { file: 'migrations/V1__x.sql', line: 6, rule: 'drop-table', scope: 'statement' },
      { file: 'migrations/V1__x.sql', line: 8, rule: 'truncate', scope: 'file' },
    ]);
  });

  test('only the upgrade section is linted: the rollback section runs only on rollback', async () => {
    const report = await lint('postgresql', [
      ['V1__x.sql', 'CREATE TABLE t (a int);\n-- rollback\nDROP TABLE t;\n'],
    ]);
    expect(report.findings).toEqual([]);
  });
});
