/**
 * `verify` on every dialect, through the run layer as both shells call it: a good chain passes all
 * three passes, a broken rollback and a rollback that leaves a table behind fail naming their file,
 * an SQL error names file and line, and a database that is not empty is refused and left as it was.
 */
import { MigrationError } from '../../src/engine/errors.js';
import { tableExists } from '../../src/engine/history.js';
import { run } from '../../src/run/index.js';
import type { FailedRun } from '../../src/run/index.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { dialectFor, queryRows, type TestTarget } from '../helpers/databases.js';
import { makeProject, type TestProject } from '../helpers/project.js';

/** A chain whose every versioned file has a rollback section. */
export function goodChain(createUsers: string): Record<string, string> {
  const insert = (name: string) =>
    `INSERT INTO users (name) VALUES ('${name}');\n\n-- rollback\nDELETE FROM users WHERE name = '${name}';`;
  return {
    'V1__users.sql': `${createUsers}\n\n-- rollback\nDROP TABLE users;`,
    'V2__alice.sql': insert('alice'),
    'V3__bob.sql': insert('bob'),
    'RA__always.sql': "INSERT INTO users (name) VALUES ('always');",
  };
}

export function describeVerifyConformance(target: TestTarget): void {
  describe(`verify: ${target.name}`, () => {
    let project: TestProject;
    afterEach(() => project?.cleanup());

    async function verify(files: Record<string, string>, url?: string) {
      project = makeProject(files);
      const verifyUrl = url ?? (await target.fresh());
      const result = await run({
        jetbaseDir: project.jetbaseDir,
        command: { name: 'verify', url: verifyUrl },
        env: {},
        overrides: {},
      });
      return { outcome: result.outcome as VerifyReport | FailedRun, verifyUrl };
    }

    function report(outcome: VerifyReport | FailedRun): VerifyReport {
      if (outcome.command === 'error') throw new Error(`verify did not run: ${outcome.message}`);
      return outcome;
    }

    test('a good chain passes up, down and up again, each file with its three times', async () => {
      const verified = report((await verify(goodChain(target.createUsers))).outcome);
      expect(verified.ok).toBe(true);
      expect(verified.failure).toBeUndefined();
      expect(verified.passes).toEqual(['upgrade', 'rollback', 'upgrade-again']);
      expect(verified.withoutRollback).toEqual([]);
      const summary = verified.files.map((f) => [
        f.filename,
        f.passes.upgrade?.status,
        f.passes.rollback?.status,
        f.passes['upgrade-again']?.status,
      ]);
      expect(summary).toEqual([
        ['V1__users.sql', 'ok', 'ok', 'ok'],
        ['V2__alice.sql', 'ok', 'ok', 'ok'],
        ['V3__bob.sql', 'ok', 'ok', 'ok'],
        ['RA__always.sql', 'ok', undefined, 'ok'],
      ]);
      for (const file of verified.files)
        for (const pass of Object.values(file.passes)) expect(pass.durationMs).toBeGreaterThanOrEqual(0);
    });

    test('a rollback section that fails stops verify and names its file and section', async () => {
      const files = {
        ...goodChain(target.createUsers),
        'V4__audit.sql': 'CREATE TABLE audit_log (id INT);\n\n-- rollback\nDROP TABLE no_such_table_here;',
      };
      const verified = report((await verify(files)).outcome);
      expect(verified.ok).toBe(false);
      expect(verified.passes).toEqual(['upgrade', 'rollback']);
      expect(verified.failure?.pass).toBe('rollback');
      const error = verified.failure?.error;
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).file).toBe('migrations/V4__audit.sql');
      expect((error as MigrationError).section).toBe('rollback');
      expect((error as MigrationError).line).toBe(4);
      expect((error as MigrationError).driverMessage.toLowerCase()).toContain('no_such_table_here');
      // Newest first: V4's rollback was the first to run, so nothing else was rolled back.
      expect(verified.files.filter((f) => f.passes.rollback !== undefined).map((f) => f.filename)).toEqual([
        'V4__audit.sql',
      ]);
    });

    test('a rollback that leaves its table behind fails on the second upgrade, naming the file', async () => {
      const files = {
        ...goodChain(target.createUsers),
        'V4__audit.sql': 'CREATE TABLE audit_log (id INT);\n\n-- rollback\nDELETE FROM users;',
      };
      const verified = report((await verify(files)).outcome);
      expect(verified.ok).toBe(false);
      expect(verified.failure?.pass).toBe('upgrade-again');
      expect((verified.failure?.error as MigrationError).file).toBe('migrations/V4__audit.sql');
      expect((verified.failure?.error as MigrationError).section).toBe('upgrade');
      const audit = verified.files.find((f) => f.filename === 'V4__audit.sql')!;
      expect(audit.passes.upgrade?.status).toBe('ok');
      expect(audit.passes.rollback?.status).toBe('ok');
      expect(audit.passes['upgrade-again']?.status).toBe('failed');
    });

    test('an SQL error names the file, the statement, its line and the database message', async () => {
      const files = {
        ...goodChain(target.createUsers),
        'V2__alice.sql':
          "INSERT INTO users (name) VALUES ('alice');\n\nINSERT INTO missing_table_xyz (name) VALUES ('x');\n\n-- rollback\nDELETE FROM users;",
      };
      const verified = report((await verify(files)).outcome);
      expect(verified.ok).toBe(false);
      expect(verified.passes).toEqual(['upgrade']);
      expect(verified.failure?.pass).toBe('upgrade');
      const error = verified.failure?.error as MigrationError;
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.file).toBe('migrations/V2__alice.sql');
      expect(error.section).toBe('upgrade');
      expect(error.statementIndex).toBe(1);
      expect(error.line).toBe(3);
      expect(error.statement).toContain('missing_table_xyz');
      expect(error.driverMessage.toLowerCase()).toContain('missing_table_xyz');
    });

    test('files without a rollback section: the first pass only, and which files they are', async () => {
      const files = {
        ...goodChain(target.createUsers),
        'V2__alice.sql': "INSERT INTO users (name) VALUES ('a');",
      };
      const verified = report((await verify(files)).outcome);
      expect(verified.ok).toBe(true);
      expect(verified.passes).toEqual(['upgrade']);
      expect(verified.withoutRollback).toEqual(['migrations/V2__alice.sql']);
      expect(verified.files.every((f) => Object.keys(f.passes).join() === 'upgrade')).toBe(true);
    });

    test('a database that is not empty is refused, naming a table, and left untouched', async () => {
      const url = await target.fresh();
      const probe = makeProject();
      const { dialect } = await dialectFor(target, url, probe.jetbaseDir);
      probe.cleanup();
      const conn = await dialect.connect();
      try {
        await conn.execute('CREATE TABLE keep_me (id INT)');
      } finally {
        await conn.close();
      }
      const { outcome } = await verify(goodChain(target.createUsers), url);
      expect(outcome.command).toBe('error');
      const failed = outcome as FailedRun;
      expect(failed.code).toBe('NOT_DISPOSABLE');
      expect(failed.message.toLowerCase()).toContain("'keep_me'");
      expect(failed.message).toContain('Nothing was written');
      const conn2 = await dialect.connect();
      try {
        for (const table of ['jetbase_migrations', 'jetbase_lock'] as const) {
          expect(await tableExists(conn2, dialect.sql, table)).toBe(false);
        }
      } finally {
        await conn2.close();
      }
      expect(await queryRows(dialect, 'SELECT COUNT(*) AS n FROM keep_me')).toHaveLength(1);
    });
  });
}
