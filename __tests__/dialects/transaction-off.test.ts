/**
 * `-- jetbase: transaction=off` on real databases: the file's statements run one by one in
 * autocommit under the lock, the history row after the last one; a failure says what stays committed.
 */
import { checksumOfStatements } from '../../src/engine/checksum.js';
import type { Dialect } from '../../src/engine/dialect.js';
import { MigrationError } from '../../src/engine/errors.js';
import { upgrade } from '../../src/engine/index.js';
import { upgradeStatements } from '../../src/engine/sql-file.js';
import type { EngineContext } from '../../src/engine/types.js';
import {
  dialectFor,
  MYSQL_URL,
  mysqlTarget,
  PG_URL,
  postgresTarget,
  queryRows,
  sqliteTarget,
  type TestTarget,
} from '../helpers/databases.js';
import { makeProject, type TestProject } from '../helpers/project.js';

const targets: TestTarget[] = [
  sqliteTarget('better-sqlite3'),
  ...(PG_URL ? [postgresTarget(PG_URL)] : []),
  ...(MYSQL_URL ? [mysqlTarget(MYSQL_URL)] : []),
];

describe.each(targets.map((t) => [t.name, t] as const))('transaction=off on %s', (_name, target) => {
  let project: TestProject;
  let dialect: Dialect;
  let ctx: EngineContext;
  async function setUp(files: Record<string, string>): Promise<void> {
    project = makeProject(files);
    ({ dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir));
    ctx = { jetbaseDir: project.jetbaseDir, dialect };
  }
  afterEach(() => project?.cleanup());
  const rows = (sql: string) => queryRows(dialect, sql);

  test('a failure leaves the statements before it committed and writes no history row', async () => {
    await setUp({
      'V1__users.sql': target.createUsers,
      'V2__off.sql':
        "-- jetbase: transaction=off\nINSERT INTO users (name) VALUES ('one');\nINSERT INTO users (name) VALUES ('two');\nINSERT INTO no_such_table VALUES (1);\n",
    });
    const report = await upgrade(ctx);
    expect(report.ok).toBe(false);
    const error = report.error as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.line).toBe(4);
    expect(error.committedStatements).toEqual([
      "INSERT INTO users (name) VALUES ('one')",
      "INSERT INTO users (name) VALUES ('two')",
    ]);
    expect(error.message).toContain('2 earlier statements of this file were already committed');
    expect((await rows('SELECT name FROM users ORDER BY id')).map((r) => r.name)).toEqual(['one', 'two']);
    const versions = await rows('SELECT version FROM jetbase_migrations ORDER BY order_executed');
    expect(versions.map((r) => String(r.version))).toEqual(['1']);
    expect(Number(Object.values((await rows('SELECT is_locked FROM jetbase_lock'))[0]!)[0])).toBe(0);
  });

  test('the directive does not change the checksum Jetbase stores', async () => {
    const body = "INSERT INTO users (name) VALUES ('x');\n";
    await setUp({
      'V1__users.sql': target.createUsers,
      'V2__off.sql': `-- jetbase: transaction=off\n${body}`,
    });
    expect((await upgrade(ctx)).ok).toBe(true);
    const stored = await rows("SELECT checksum FROM jetbase_migrations WHERE version = '2'");
    expect(stored[0]!.checksum).toBe(checksumOfStatements(upgradeStatements(body)));
  });

  if (target.name === 'postgresql')
    test('CREATE INDEX CONCURRENTLY applies and the index is valid', async () => {
      await setUp({
        'V1__users.sql': `${target.createUsers}\nINSERT INTO users (name) VALUES ('a'), ('b');`,
        'V2__index.sql':
          '-- jetbase: transaction=off\nCREATE INDEX CONCURRENTLY users_name ON users (name);\n',
      });
      const report = await upgrade(ctx);
      expect(report.error).toBeUndefined();
      expect(report.ok).toBe(true);
      const index = await rows(
        "SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'users_name'",
      );
      expect(index).toEqual([{ valid: true }]);
      expect((await rows("SELECT COUNT(*) AS n FROM jetbase_migrations WHERE version = '2'"))[0]!.n).toBe(
        '1',
      );
    });

  if (target.name === 'postgresql')
    test('without the directive CREATE INDEX CONCURRENTLY fails in the transaction', async () => {
      await setUp({
        'V1__users.sql': target.createUsers,
        'V2__index.sql': 'CREATE INDEX CONCURRENTLY users_name ON users (name);\n',
      });
      const report = await upgrade(ctx);
      expect(report.ok).toBe(false);
      expect(report.error?.message).toContain('cannot run inside a transaction block');
    });

  if (target.name.startsWith('sqlite'))
    test('VACUUM applies', async () => {
      await setUp({
        'V1__users.sql': target.createUsers,
        'V2__vacuum.sql': '-- jetbase: transaction=off\nVACUUM;\n',
      });
      const report = await upgrade(ctx);
      expect(report.error).toBeUndefined();
      expect(report.ok).toBe(true);
      expect((await rows("SELECT COUNT(*) AS n FROM jetbase_migrations WHERE version = '2'"))[0]!.n).toBe(1);
    });
});
