/**
 * MySQL/MariaDB's fast path (Connection.runInTransaction): a migration goes to the server as one
 * multi-statement query. Round trips are counted at the protocol level, through a loopback proxy
 * that counts COM_QUERY packets; failures must be named from the server's results.
 */
import { parseDatabaseUrl } from '../../src/config/url.js';
import {
  StatementFailure,
  type Connection,
  type Dialect,
  type StatementHooks,
} from '../../src/engine/dialect.js';
import { HistoryWriteError, MigrationError, MigrationOutcomeUnknownError } from '../../src/engine/errors.js';
import { upgrade } from '../../src/engine/index.js';
import type { EngineContext, MigrationOutcome } from '../../src/engine/types.js';
import { MYSQL_URL, dialectFor, mysqlTarget, queryRows } from '../helpers/databases.js';
import { MysqlQueryCounter, viaPort } from '../helpers/mysql-proxy.js';
import { makeProject, type TestProject } from '../helpers/project.js';

const describeWithMysql = MYSQL_URL ? describe : describe.skip;

/** The same dialect without its fast path: what every migration cost before it. */
function statementByStatement(dialect: Dialect): Dialect {
  return {
    ...dialect,
    async connect(options) {
      const conn = await dialect.connect(options);
      const plain: Connection = {
        execute: (sql, params) => conn.execute(sql, params),
        query: (sql, params) => conn.query(sql, params),
        transaction: (fn) => conn.transaction(fn),
        close: () => conn.close(),
      };
      return plain;
    },
  };
}

/** Hooks that record the indexes they were called with. */
function recordingHooks(): StatementHooks & { befores: number[]; afters: number[] } {
  const befores: number[] = [];
  const afters: number[] = [];
  return {
    befores,
    afters,
    before: async (index) => {
      befores.push(index);
    },
    after: (index) => {
      afters.push(index);
    },
  };
}

describeWithMysql('mariadb: one migration, one query', () => {
  const target = mysqlTarget(MYSQL_URL ?? '');
  const upstream = (() => {
    const url = parseDatabaseUrl(MYSQL_URL ?? 'mysql://localhost/x');
    return { host: url.host ?? '127.0.0.1', port: url.port ?? 3306 };
  })();
  let project: TestProject;
  let proxy: MysqlQueryCounter;
  let dialect: Dialect;
  let ctx: EngineContext;
  /** COM_QUERY packets per migration, by file name, in the order they ran. */
  let perFile: Map<string, number>;

  async function setUp(files: Record<string, string>, wrap: (d: Dialect) => Dialect = (d) => d) {
    project = makeProject(files);
    proxy = await MysqlQueryCounter.start(upstream);
    ({ dialect } = await dialectFor(target, viaPort(await target.fresh(), proxy.port), project.jetbaseDir));
    dialect = wrap(dialect);
    perFile = new Map();
    let startedAt = 0;
    ctx = {
      jetbaseDir: project.jetbaseDir,
      dialect,
      onEvent: (event) => {
        if (event.type === 'migration-started') startedAt = proxy.count;
        if (event.type === 'migration-finished') perFile.set(event.outcome.filename, proxy.count - startedAt);
      },
    };
  }
  afterEach(async () => {
    project?.cleanup();
    await proxy?.close();
  });
  const rows = (sql: string) => queryRows(dialect, sql);
  const historyVersions = async () =>
    (await rows('SELECT version FROM jetbase_migrations ORDER BY order_executed')).map((r) =>
      String(r.version),
    );
  const statuses = (outcomes: readonly MigrationOutcome[]) => outcomes.map((o) => [o.filename, o.status]);
  const twoStatementFiles = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `V${i + 1}__t${i + 1}.sql`,
        `CREATE TABLE t${i + 1} (id INT);\nINSERT INTO t${i + 1} VALUES (${i + 1});\n`,
      ]),
    );

  test('a two-statement migration is one COM_QUERY, five statement by statement; the rest is the same', async () => {
    await setUp(twoStatementFiles(4));
    const fast = await upgrade(ctx);
    expect(fast.ok).toBe(true);
    expect([...perFile.values()]).toEqual([1, 1, 1, 1]);
    const fastTotal = proxy.count;
    expect(await historyVersions()).toEqual(['1', '2', '3', '4']);
    expect(await rows('SELECT id FROM t4')).toEqual([{ id: 4 }]);
    await proxy.close();
    project.cleanup();

    await setUp(twoStatementFiles(4), statementByStatement);
    expect((await upgrade(ctx)).ok).toBe(true);
    // START TRANSACTION, the two statements, the history INSERT, COMMIT.
    expect([...perFile.values()]).toEqual([5, 5, 5, 5]);
    // Connecting, the lock and reading history cost the same on both paths.
    expect(proxy.count - 4 * 5).toBe(fastTotal - 4 * 1);
  });

  test('a failing second statement after DDL is named; the DDL is reported committed; no history row', async () => {
    await setUp({
      'V1__kept.sql':
        'CREATE TABLE kept (id INT);\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE never_made (id INT);\n',
    });
    const report = await upgrade(ctx);
    expect(report.ok).toBe(false);
    const error = report.error as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({
      statementIndex: 1,
      line: 2,
      statement: 'INSERT INTO missing_table VALUES (1)',
      committedStatements: ['CREATE TABLE kept (id INT)'],
    });
    expect(error.message).toContain("missing_table' doesn't exist");
    // The one query, then ROLLBACK.
    expect(perFile.get('V1__kept.sql')).toBe(2);
    const tables = await rows(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('kept', 'never_made')",
    );
    expect(tables).toEqual([{ t: 'kept' }]);
    expect(await historyVersions()).toEqual([]);
    expect(await rows('SELECT is_locked FROM jetbase_lock')).toEqual([{ is_locked: 0 }]);
  });

  test('DML before a failing statement rolls back and is reported as not committed', async () => {
    await setUp({
      'V1__t.sql': 'CREATE TABLE t (id INT NOT NULL);',
      'V2__dml.sql': 'INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nINSERT INTO t VALUES (NULL);\n',
    });
    const report = await upgrade(ctx);
    const error = report.error as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ statementIndex: 2, line: 3, committedStatements: [] });
    expect(report.outcomes.at(-1)?.statements).toEqual([
      'INSERT INTO t VALUES (1)',
      'INSERT INTO t VALUES (2)',
    ]);
    expect(await rows('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: '0' }]);
    expect(await historyVersions()).toEqual(['1']);
  });

  test('a failing history write is the final write, not a statement; the DDL stays, the row is not written', async () => {
    await setUp({
      'V1__a.sql': 'CREATE TABLE a (id INT);',
      'V2__b.sql': 'CREATE TABLE b (id INT);\nINSERT INTO a VALUES (2);\nSELECT COUNT(*) FROM a;',
    });
    expect((await upgrade(ctx, { count: 1 })).ok).toBe(true);
    // Refuse V2's history row only, as a constraint added by someone else would.
    const conn = await dialect.connect();
    await conn.execute("ALTER TABLE jetbase_migrations ADD CONSTRAINT no_v2 CHECK (version <> '2')");
    await conn.close();
    const report = await upgrade(ctx);
    expect(report.ok).toBe(false);
    expect(report.error).toBeInstanceOf(HistoryWriteError);
    expect(report.error?.message).toContain('V2__b.sql ran but could not be recorded in jetbase_migrations');
    expect(report.error?.message).toContain('no_v2');
    expect(report.outcomes.at(-1)?.statements).toHaveLength(3);
    expect(
      await rows(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'b'",
      ),
    ).toEqual([{ n: '1' }]);
    expect(await historyVersions()).toEqual(['1']);
  });

  test('on a connection: hooks, the final write failing, and the session usable after each failure', async () => {
    await setUp({});
    const conn = await dialect.connect();
    try {
      const hooks = recordingHooks();
      const history = { sql: 'INSERT INTO no_history (v) VALUES (?)', params: ["it's"] };
      const failure = await conn.runInTransaction!(
        ['CREATE TABLE h (id INT)', 'INSERT INTO h VALUES (1)'],
        history,
        hooks,
      ).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StatementFailure);
      expect(failure).toMatchObject({ index: 2 });
      expect((failure as Error).message).toContain("no_history' doesn't exist");
      expect(hooks.befores).toEqual([0]);
      expect(hooks.afters).toEqual([0, 1]);
      expect(await conn.query('SELECT @@in_transaction AS open, 7 AS next')).toEqual([
        { open: '0', next: 7 },
      ]);

      const second = recordingHooks();
      const failed = await conn.runInTransaction!(
        ['INSERT INTO h VALUES (2)', 'INSERT INTO h VALUES (1, 2)'],
        history,
        second,
      ).catch((e: unknown) => e);
      expect(failed).toMatchObject({ index: 1 });
      expect(second.afters).toEqual([0]);
      expect(await conn.query('SELECT @@in_transaction AS open, COUNT(*) AS n FROM h')).toEqual([
        { open: '0', n: '1' },
      ]);
      const queriesBefore = proxy.count;
      await conn.runInTransaction!(
        ['INSERT INTO h VALUES (3)'],
        { sql: 'INSERT INTO h VALUES (?)', params: [4] },
        recordingHooks(),
      );
      expect(proxy.count - queriesBefore).toBe(1);
      expect(await conn.query('SELECT id FROM h ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }, { id: 4 }]);
    } finally {
      await conn.close();
    }
  });

  test('a delimiter file: procedure and trigger bodies with ";" inside ride in the one query', async () => {
    const delimited = [
      '-- jetbase: delimiter=$$',
      'CREATE TABLE d (id INT, note VARCHAR(20))$$',
      'CREATE PROCEDURE add_two(IN n INT)',
      'BEGIN',
      "  INSERT INTO d (id, note) VALUES (n, 'proc');",
      "  INSERT INTO d (id, note) VALUES (n + 1, 'proc');",
      'END$$',
      'CREATE TRIGGER d_note BEFORE INSERT ON d FOR EACH ROW',
      'BEGIN',
      "  IF NEW.note IS NULL THEN SET NEW.note = 'trigger'; END IF;",
      'END$$',
      'CALL add_two(10)$$',
      'INSERT INTO d (id) VALUES (1)$$',
      '',
    ].join('\n');
    await setUp({
      'V1__delimited.sql': delimited,
      'V2__fails.sql': '-- jetbase: delimiter=$$\nCALL add_two(20)$$\nCALL no_such_procedure()$$\n',
    });
    const report = await upgrade(ctx);
    expect(statuses(report.outcomes)).toEqual([
      ['V1__delimited.sql', 'applied'],
      ['V2__fails.sql', 'failed'],
    ]);
    expect(perFile.get('V1__delimited.sql')).toBe(1);
    expect(report.error).toMatchObject({ statementIndex: 1, statement: 'CALL no_such_procedure()' });
    expect(await rows('SELECT id, note FROM d ORDER BY id')).toEqual([
      { id: 1, note: 'trigger' },
      { id: 10, note: 'proc' },
      { id: 11, note: 'proc' },
    ]);
    expect(await historyVersions()).toEqual(['1']);
  });

  test('a statement the server cannot take inside one query goes on its own, and the rest after it', async () => {
    await setUp({
      'V1__note.sql': 'CREATE TABLE f (id INT);\n/* only a note */;\nINSERT INTO f VALUES (1);\n',
      'V2__typo.sql': 'INSERT INTO f VALUES (2);\nSELEC 1;\n',
    });
    const report = await upgrade(ctx);
    expect(statuses(report.outcomes)).toEqual([
      ['V1__note.sql', 'applied'],
      ['V2__typo.sql', 'failed'],
    ]);
    // The one query stopped at the note (an empty statement there); the note alone is fine for the
    // server, so it, the INSERT, the history write and COMMIT went one by one.
    expect(perFile.get('V1__note.sql')).toBe(5);
    expect(proxy.queries).toContain('/* only a note */');
    expect(report.outcomes[0]?.statements).toHaveLength(3);
    // A real syntax error fails alone too and is named; the INSERT before it rolls back.
    expect(report.error).toMatchObject({ statementIndex: 1, statement: 'SELEC 1', committedStatements: [] });
    expect(await rows('SELECT id FROM f')).toEqual([{ id: 1 }]);
    expect(await historyVersions()).toEqual(['1']);
  });

  test('a CALL that returns rows applies, and a later failure is still named exactly', async () => {
    await setUp({
      'V1__rows.sql':
        '-- jetbase: delimiter=$$\nCREATE PROCEDURE two_rows() BEGIN SELECT 1 AS a; SELECT 2 AS b; END$$\nCALL two_rows()$$\n',
      'V2__after.sql':
        'CALL two_rows();\nCREATE TABLE after_call (id INT);\nCALL two_rows();\nINSERT INTO missing VALUES (1);\n',
    });
    const report = await upgrade(ctx);
    expect(statuses(report.outcomes)).toEqual([
      ['V1__rows.sql', 'applied'],
      ['V2__after.sql', 'failed'],
    ]);
    expect(perFile.get('V1__rows.sql')).toBe(1);
    // Each CALL sent three results; the marks still count statements.
    expect(report.error).toBeInstanceOf(MigrationError);
    expect(report.error).toMatchObject({
      statementIndex: 3,
      committedStatements: ['CALL two_rows()', 'CREATE TABLE after_call (id INT)', 'CALL two_rows()'],
    });
    expect(await historyVersions()).toEqual(['1']);
  });

  test('a routine without a delimiter directive fails as Jetbase fails it: its pieces never run together', async () => {
    const file =
      'CREATE TABLE p (id INT);\nCREATE PROCEDURE fill()\nBEGIN\n  INSERT INTO p VALUES (1);\n  INSERT INTO p VALUES (2);\nEND;\n';
    const outcome = async () => {
      const report = await upgrade(ctx);
      const error = report.error as MigrationError;
      expect(error).toBeInstanceOf(MigrationError);
      const procedures = await rows(
        "SELECT COUNT(*) AS n FROM information_schema.routines WHERE routine_schema = DATABASE() AND routine_name = 'fill'",
      );
      return {
        index: error.statementIndex,
        statement: error.statement,
        committed: error.committedStatements,
        syntaxError: /You have an error in your SQL syntax/.test(error.message),
        procedures,
        rows: await rows('SELECT COUNT(*) AS n FROM p'),
        history: await historyVersions(),
      };
    };
    await setUp({ 'V1__routine.sql': file }, statementByStatement);
    const expected = await outcome();
    expect(expected).toEqual({
      index: 1,
      statement: 'CREATE PROCEDURE fill() BEGIN INSERT INTO p VALUES (1)',
      committed: ['CREATE TABLE p (id INT)'],
      syntaxError: true,
      procedures: [{ n: '0' }],
      rows: [{ n: '0' }],
      history: [],
    });
    await proxy.close();
    project.cleanup();
    await setUp({ 'V1__routine.sql': file });
    expect(await outcome()).toEqual(expected);
    // The one query (the server stopped at the fence), the piece alone, ROLLBACK.
    expect(perFile.get('V1__routine.sql')).toBe(3);
  });

  test('a server that refuses the fence gets every migration statement by statement', async () => {
    await setUp(twoStatementFiles(2));
    proxy.rewrite = (sql) => sql.replaceAll("HELP 'jetbase'", "HALP 'jetbase'");
    const report = await upgrade(ctx);
    expect(statuses(report.outcomes)).toEqual([
      ['V1__t1.sql', 'applied'],
      ['V2__t2.sql', 'applied'],
    ]);
    // The first file's one query failed at its first statement, the fence; the session then stops trying.
    expect([...perFile.values()]).toEqual([6, 5]);
    expect(await historyVersions()).toEqual(['1', '2']);
  });

  test('a file longer than the server takes in one query goes statement by statement', async () => {
    await setUp({});
    const [limit] = await rows('SELECT @@max_allowed_packet AS max_bytes');
    const quarter = Math.floor(Number(limit!.max_bytes) / 4);
    // Five statements of a quarter of the limit each: each fits, together they do not.
    const statement = (i: number) => `DO '${String(i).repeat(quarter - 10)}';`;
    project.write('V1__big.sql', [1, 2, 3, 4, 5].map(statement).join('\n'));
    const report = await upgrade(ctx);
    expect(statuses(report.outcomes)).toEqual([['V1__big.sql', 'applied']]);
    // The server's limit asked once, START TRANSACTION, five statements, the history write, COMMIT.
    expect(perFile.get('V1__big.sql')).toBe(9);
    expect(Math.max(...proxy.queries.map((q) => q.length))).toBeLessThan(Number(limit!.max_bytes));
    expect(await historyVersions()).toEqual(['1']);
  });

  test('a connection lost once the one query has left: the outcome is reported unknown, not as a statement failure', async () => {
    await setUp(twoStatementFiles(2));
    proxy.cutAfter = (sql) => sql.includes('CREATE TABLE t2');
    const report = await upgrade(ctx);
    expect(statuses(report.outcomes)).toEqual([
      ['V1__t1.sql', 'applied'],
      ['V2__t2.sql', 'failed'],
    ]);
    const failure = report.outcomes[1]?.failure;
    expect(failure).toBeInstanceOf(MigrationOutcomeUnknownError);
    expect(failure?.message).toContain('so any first part of it may be applied');
    expect(failure?.message).toContain('its history row is written only if all of it ran');
  });

  test('transaction=off files still go statement by statement', async () => {
    await setUp({
      'V1__off.sql': '-- jetbase: transaction=off\nCREATE TABLE o (id INT);\nINSERT INTO o VALUES (1);\n',
    });
    expect((await upgrade(ctx)).ok).toBe(true);
    // The two statements, then the history INSERT; no transaction around them.
    expect(perFile.get('V1__off.sql')).toBe(3);
  });

  test('read-only sessions take one statement per query; writing sessions several', async () => {
    await setUp({});
    const reader = await dialect.connect({ readOnly: true });
    const writer = await dialect.connect();
    try {
      await expect(reader.query('SELECT 1 AS a; SELECT 2 AS b')).rejects.toThrow(/SQL syntax/);
      expect(await reader.query('SELECT 1 AS a')).toEqual([{ a: 1 }]);
      await expect(writer.execute('DO 1; DO 2')).resolves.toEqual({ rowsAffected: 0 });
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
