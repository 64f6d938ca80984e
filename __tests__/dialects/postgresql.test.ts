/**
 * PostgreSQL's fast path (Connection.runInTransaction): a whole migration as one message of the
 * extended protocol with one Sync. These check that it keeps the meaning of one transaction per
 * migration at its edges, and count its round trips on the wire.
 */
import { releaseLockOf, status, upgrade, validateChecksums } from '../../src/engine/index.js';
import { CancelledError, MigrationError, MigrationOutcomeUnknownError } from '../../src/engine/errors.js';
import { postgresqlLockHolder } from '../../src/dialects/postgresql/lock-holder.js';
import { PG_URL, dialectFor, postgresTarget, queryRows } from '../helpers/databases.js';
import { CountingProxy } from '../../bench/lib/proxy.mjs';
import { makeProject } from '../helpers/project.js';

const describeWithPg = PG_URL ? describe : describe.skip;

describeWithPg('postgresql: one migration, one transaction, fewer round trips', () => {
  const target = postgresTarget(PG_URL ?? '');

  test('a history write that fails rolls the statements back and says so', async () => {
    const project = makeProject({
      'V1__a.sql': 'CREATE TABLE a (id INT);',
      'V2__b.sql': 'CREATE TABLE b (id INT);\nINSERT INTO a VALUES (2);',
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const ctx = { jetbaseDir: project.jetbaseDir, dialect };
      expect((await upgrade(ctx, { count: 1 })).ok).toBe(true);
      // Refuse the history row of V2 only, as a constraint added by someone else would.
      const conn = await dialect.connect();
      await conn.execute(
        "ALTER TABLE jetbase_migrations ADD CONSTRAINT no_v2 CHECK (version IS DISTINCT FROM '2')",
      );
      await conn.close();
      const report = await upgrade(ctx);
      expect(report.ok).toBe(false);
      expect(report.error).not.toBeInstanceOf(MigrationError);
      expect(report.error?.message).toContain(
        'V2__b.sql ran but could not be recorded in jetbase_migrations',
      );
      expect(report.error?.message).toContain('its statements were rolled back unless');
      expect(
        await queryRows(
          dialect,
          "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'b'",
        ),
      ).toEqual([{ n: '0' }]);
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM a')).toEqual([{ n: '0' }]);
      expect(await queryRows(dialect, 'SELECT is_locked FROM jetbase_lock')).toEqual([{ is_locked: false }]);
    } finally {
      project.cleanup();
    }
  });

  test('a first statement ending in a comment and a file of no statements both apply', async () => {
    const project = makeProject({
      'V1__comment.sql': 'CREATE TABLE c (id INT); -- note\nINSERT INTO c VALUES (1);\n',
      'V2__empty.sql': '-- nothing to do\n',
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const report = await upgrade({ jetbaseDir: project.jetbaseDir, dialect });
      // Jetbase joins the two lines into one statement, which PostgreSQL reads up to the comment.
      expect(report.outcomes.map((o) => [o.filename, o.status, o.statements.length])).toEqual([
        ['V1__comment.sql', 'applied', 1],
        ['V2__empty.sql', 'applied', 0],
      ]);
      expect(
        await queryRows(dialect, 'SELECT version FROM jetbase_migrations ORDER BY order_executed'),
      ).toEqual([{ version: '1' }, { version: '2' }]);
    } finally {
      project.cleanup();
    }
  });

  test("a transaction whose session dies fails with the server's reason, not the ROLLBACK's", async () => {
    const project = makeProject({});
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const conn = await dialect.connect();
      try {
        await conn.execute('CREATE TABLE kept (id INT)');
        let caught: unknown;
        await conn
          .transaction(async () => {
            await conn.execute('INSERT INTO kept VALUES (1)');
            await conn.execute('SELECT pg_terminate_backend(pg_backend_pid())');
          })
          .catch((error: unknown) => (caught = error));
        // The ROLLBACK after it fails too (the connection is gone); that is not the error shown.
        expect(caught).toMatchObject({ code: '57P01' });
        expect((caught as Error).message).toContain('terminating connection');
      } finally {
        await conn.close().catch(() => undefined);
      }
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM kept')).toEqual([{ n: '0' }]);
    } finally {
      project.cleanup();
    }
  });

  test('a function body split by its own semicolons fails as Jetbase would, never runs as one text', async () => {
    // Without the delimiter directive Jetbase splits this body at each line-ending `;`. Each piece
    // must reach the server on its own: the first is an unterminated $$ string and fails. Sent as
    // one text, the pieces would make a valid function; sent as pipelined queries, `END` (a
    // COMMIT) would end the failed transaction and let the history write run in autocommit.
    const project = makeProject({
      'V1__fn.sql': [
        'CREATE FUNCTION one() RETURNS int AS $$',
        'BEGIN',
        '  RETURN 1;',
        'END;',
        '$$ LANGUAGE plpgsql;',
      ].join('\n'),
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const report = await upgrade({ jetbaseDir: project.jetbaseDir, dialect });
      expect(report.ok).toBe(false);
      expect(report.error).toBeInstanceOf(MigrationError);
      expect(report.error).toMatchObject({ statementIndex: 0 });
      expect(report.error?.message).toContain('unterminated dollar-quoted string');
      expect(await queryRows(dialect, "SELECT to_regprocedure('one()') AS f")).toEqual([{ f: null }]);
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM jetbase_migrations')).toEqual([{ n: '0' }]);
      expect(await queryRows(dialect, 'SELECT is_locked FROM jetbase_lock')).toEqual([{ is_locked: false }]);
    } finally {
      project.cleanup();
    }
  });

  /** N files of two statements each: a table, then a row in it. */
  const twoStatementFiles = (n: number): Record<string, string> =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `V${i + 1}__t${i + 1}.sql`,
        `CREATE TABLE t${i + 1} (id INT);\nINSERT INTO t${i + 1} VALUES (${i + 1});\n`,
      ]),
    );

  /**
   * The bench's protocol-reading proxy in front of the test server: `through(url)` is `url` via it.
   * It counts round trips as Query and Sync messages, the start-up exchange apart.
   */
  async function countingProxy(): Promise<{ counter: CountingProxy; through: (url: string) => string }> {
    const upstream = new URL(PG_URL ?? '');
    const counter = new CountingProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const port = await counter.listen();
    const through = (url: string) => {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    };
    return { counter, through };
  }

  test('each migration is one round trip on the wire; reading the history costs the same at any N', async () => {
    const { counter, through } = await countingProxy();
    const project = makeProject(twoStatementFiles(5));
    try {
      const trips = async (run: (ctx: Parameters<typeof upgrade>[0]) => Promise<{ ok: boolean }>) => {
        const { dialect } = await dialectFor(target, through(await target.fresh()), project.jetbaseDir);
        counter.reset();
        expect((await run({ jetbaseDir: project.jetbaseDir, dialect })).ok).toBe(true);
        return { ...counter.summary(), texts: new Map(counter.topTexts(100)), dialect };
      };
      const one = await trips((ctx) => upgrade(ctx, { count: 1 }));
      const five = await trips((ctx) => upgrade(ctx));
      // The fixed part (connect, tables, lock, history) is the same; each further file adds one.
      expect(five.roundTrips - one.roundTrips).toBe(4);
      // One session for the whole run (the first run also learnt that the server refuses TLS).
      expect(five.connections).toBe(1);
      // Every statement went to the server exactly once (texts with numbers folded to N), each as its
      // own Parse, and each one ran.
      expect(five.texts.get('CREATE TABLE tN (id INT)')).toBe(5);
      expect(five.texts.get('INSERT INTO tN VALUES (N)')).toBe(5);
      expect(await queryRows(five.dialect, 'SELECT COUNT(*) AS n FROM jetbase_migrations')).toEqual([
        { n: '5' },
      ]);
      expect(
        await queryRows(
          five.dialect,
          'SELECT (SELECT id FROM t1) + (SELECT id FROM t2) + (SELECT id FROM t3) + (SELECT id FROM t4) + (SELECT id FROM t5) AS ids',
        ),
      ).toEqual([{ ids: 15 }]);

      // With everything applied, status and validation read the history in a fixed number of trips.
      const ctx = { jetbaseDir: project.jetbaseDir, dialect: five.dialect };
      counter.reset();
      await status(ctx);
      const statusTrips = counter.counts.roundTrips;
      counter.reset();
      await validateChecksums(ctx);
      const validateTrips = counter.counts.roundTrips;
      const few = makeProject(twoStatementFiles(1));
      try {
        const { dialect } = await dialectFor(target, through(await target.fresh()), few.jetbaseDir);
        const small = { jetbaseDir: few.jetbaseDir, dialect };
        expect((await upgrade(small)).ok).toBe(true);
        counter.reset();
        await status(small);
        expect(counter.counts.roundTrips).toBe(statusTrips);
        counter.reset();
        await validateChecksums(small);
        expect(counter.counts.roundTrips).toBe(validateTrips);
      } finally {
        few.cleanup();
      }
    } finally {
      project.cleanup();
      await counter.close();
    }
  });

  test('a failing statement stops the message: the statements after it and the history write never run', async () => {
    const project = makeProject({
      'V1__seq.sql': 'CREATE SEQUENCE s;',
      // nextval is not transactional: had the third statement run, s would show it after the rollback.
      'V2__bad.sql': "CREATE TABLE x (id INT);\nINSERT INTO nope VALUES (1);\nSELECT nextval('s');",
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const report = await upgrade({ jetbaseDir: project.jetbaseDir, dialect });
      expect(report.ok).toBe(false);
      expect(report.error).toBeInstanceOf(MigrationError);
      expect(report.error).toMatchObject({ statementIndex: 1, line: 2, committedStatements: [] });
      expect(report.error?.message).toContain('relation "nope" does not exist');
      expect(report.outcomes.map((o) => [o.filename, o.status, o.statements])).toEqual([
        ['V1__seq.sql', 'applied', ['CREATE SEQUENCE s']],
        ['V2__bad.sql', 'failed', ['CREATE TABLE x (id INT)']],
      ]);
      expect(await queryRows(dialect, 'SELECT is_called FROM s')).toEqual([{ is_called: false }]);
      expect(await queryRows(dialect, "SELECT to_regclass('x') AS t")).toEqual([{ t: null }]);
      expect(await queryRows(dialect, 'SELECT version FROM jetbase_migrations')).toEqual([{ version: '1' }]);
      expect(await queryRows(dialect, 'SELECT is_locked FROM jetbase_lock')).toEqual([{ is_locked: false }]);
    } finally {
      project.cleanup();
    }
  });

  test('two commands on one line, which one Parse refuses, still run as the simple protocol runs them', async () => {
    const project = makeProject({
      'V1__two.sql': 'CREATE TABLE a (id INT); CREATE TABLE b (id INT);\nINSERT INTO a VALUES (1);',
      'V2__after.sql': 'INSERT INTO b VALUES (2);',
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const report = await upgrade({ jetbaseDir: project.jetbaseDir, dialect });
      expect(report.error).toBeUndefined();
      // Counted once each, though the first file was sent twice (one message, then one by one).
      expect(report.outcomes.map((o) => [o.filename, o.status, o.statements.length])).toEqual([
        ['V1__two.sql', 'applied', 2],
        ['V2__after.sql', 'applied', 1],
      ]);
      expect(
        await queryRows(dialect, 'SELECT (SELECT COUNT(*) FROM a) AS a, (SELECT COUNT(*) FROM b) AS b'),
      ).toEqual([{ a: '1', b: '1' }]);
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM jetbase_migrations')).toEqual([{ n: '2' }]);
    } finally {
      project.cleanup();
    }
  });

  test('a COPY FROM STDIN goes the simple way: its usual error, and nothing left behind', async () => {
    const project = makeProject({
      'V1__copy.sql': 'CREATE TABLE c (id INT);\nCOPY c FROM STDIN;',
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const report = await upgrade({ jetbaseDir: project.jetbaseDir, dialect });
      expect(report.ok).toBe(false);
      expect(report.error).toMatchObject({ statementIndex: 1 });
      expect(report.error?.message).toContain('No source stream defined');
      expect(await queryRows(dialect, "SELECT to_regclass('c') AS t")).toEqual([{ t: null }]);
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM jetbase_migrations')).toEqual([{ n: '0' }]);
      expect(await queryRows(dialect, 'SELECT is_locked FROM jetbase_lock')).toEqual([{ is_locked: false }]);
    } finally {
      project.cleanup();
    }
  });

  test('a session killed in the middle of the message leaves no table and no history row', async () => {
    const project = makeProject({
      'V1__dies.sql':
        'CREATE TABLE d (id INT);\nSELECT pg_terminate_backend(pg_backend_pid());\nINSERT INTO d VALUES (1);',
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const report = await upgrade({ jetbaseDir: project.jetbaseDir, dialect });
      expect(report.ok).toBe(false);
      expect(report.error?.message).toContain('terminating connection');
      expect(await queryRows(dialect, "SELECT to_regclass('d') AS t")).toEqual([{ t: null }]);
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM jetbase_migrations')).toEqual([{ n: '0' }]);
    } finally {
      project.cleanup();
    }
  });

  /** Polls `sql` until its rows equal `expected` or 10 s pass; returns the last rows. */
  async function eventually(
    dialect: Parameters<typeof queryRows>[0],
    sql: string,
    expected: unknown,
  ): Promise<unknown> {
    const giveUp = Date.now() + 10_000;
    for (;;) {
      const rows = await queryRows(dialect, sql);
      if (JSON.stringify(rows) === JSON.stringify(expected) || Date.now() > giveUp) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  test('a connection lost after the message left says the outcome is unknown; the server commits it whole', async () => {
    const { counter, through } = await countingProxy();
    const project = makeProject({
      'V1__slow.sql': 'CREATE TABLE slow (id INT);\nSELECT pg_sleep(1);\nINSERT INTO slow VALUES (1);',
    });
    try {
      const direct = await target.fresh();
      const { dialect } = await dialectFor(target, through(direct), project.jetbaseDir);
      const { dialect: observer } = await dialectFor(target, direct, project.jetbaseDir);
      let cut = false;
      const report = await upgrade({
        jetbaseDir: project.jetbaseDir,
        dialect,
        onEvent: (event) => {
          if (event.type !== 'migration-started' || cut) return;
          cut = true;
          setTimeout(() => counter.cutNow(), 300);
        },
      });
      expect(report.ok).toBe(false);
      expect(report.error).toBeInstanceOf(MigrationOutcomeUnknownError);
      expect(report.error?.message).toContain('V1__slow.sql was sent as one transaction');
      expect(report.error?.message).toContain('all of it with its history row, or none of it');
      // The server had the whole message: it finishes the sleep, then commits statements and row together.
      expect(
        await eventually(observer, 'SELECT COUNT(*) AS n FROM jetbase_migrations', [{ n: '1' }]),
      ).toEqual([{ n: '1' }]);
      expect(await queryRows(observer, 'SELECT id FROM slow')).toEqual([{ id: 1 }]);
    } finally {
      project.cleanup();
      await counter.close();
    }
  });

  test("releasing a dead runner's lock waits until its session has ended", async () => {
    const project = makeProject({});
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const ctx = { jetbaseDir: project.jetbaseDir, dialect };
      expect((await upgrade(ctx)).ok).toBe(true); // creates the tables
      // A holder whose session is still open, as after a kill while the server runs its migration.
      const holder = await dialect.connect();
      await postgresqlLockHolder.claim(holder, 'p-orphan');
      await holder.execute("UPDATE jetbase_lock SET is_locked = TRUE, process_id = 'p-orphan' WHERE id = 1");
      await expect(releaseLockOf(ctx, 'p-orphan', 300)).rejects.toThrow(
        'the session of process p-orphan is still open on the database',
      );
      expect(await queryRows(dialect, 'SELECT is_locked, process_id FROM jetbase_lock')).toEqual([
        { is_locked: true, process_id: 'p-orphan' },
      ]);
      // Once the session ends, a waiting release goes through.
      setTimeout(() => void holder.close(), 400);
      await expect(releaseLockOf(ctx, 'p-orphan', 10_000)).resolves.toBe(true);
      expect(await queryRows(dialect, 'SELECT is_locked, process_id FROM jetbase_lock')).toEqual([
        { is_locked: false, process_id: null },
      ]);
    } finally {
      project.cleanup();
    }
  });

  test('a cancellation while the message runs interrupts the statement and rolls the file back', async () => {
    const project = makeProject({
      'V1__slow.sql': 'CREATE TABLE early (id INT);\nSELECT pg_sleep(30);\nCREATE TABLE late (id INT);',
      'V2__next.sql': 'CREATE TABLE next (id INT);',
    });
    try {
      const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
      const controller = new AbortController();
      const report = await upgrade({
        jetbaseDir: project.jetbaseDir,
        dialect,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'migration-started') setTimeout(() => controller.abort(), 300);
        },
      });
      // Without the CancelRequest the sleep would end and V1 commit with its row.
      expect(report.error).toBeInstanceOf(CancelledError);
      expect(report.outcomes.map((o) => [o.filename, o.status])).toEqual([['V1__slow.sql', 'failed']]);
      expect(await queryRows(dialect, "SELECT to_regclass('early') AS t")).toEqual([{ t: null }]);
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM jetbase_migrations')).toEqual([{ n: '0' }]);
      expect(await queryRows(dialect, 'SELECT is_locked FROM jetbase_lock')).toEqual([{ is_locked: false }]);
    } finally {
      project.cleanup();
    }
  }, 20_000);
});
