/**
 * PostgreSQL's fast path (Connection.runInTransaction): BEGIN rides with the first statement and
 * COMMIT with the history write. These check that it keeps the meaning of one transaction per
 * migration at its edges.
 */
import { upgrade } from '../../src/engine/index.js';
import { MigrationError } from '../../src/engine/errors.js';
import { PG_URL, dialectFor, postgresTarget, queryRows } from '../helpers/databases.js';
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
});
