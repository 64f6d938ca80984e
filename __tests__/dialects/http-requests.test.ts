/**
 * HTTP requests per migration on Snowflake and Databricks, counted by the loopback fakes from the
 * requests the real client libraries send (docs/architecture.md, "HTTP requests on Snowflake and
 * Databricks"). Each figure comes from two upgrade runs of the same shape, one applying 1 file and
 * one applying 3: the difference over 2 is the cost of one migration, the rest is the run's fixed
 * part (login, lock, history read, unlock, logout). The numbers are exact on purpose: a change
 * that adds a request per migration makes this fail.
 */
import { upgrade } from '../../src/engine/index.js';
import { MigrationError } from '../../src/engine/errors.js';
import { startFakeDatabricks, type DatabricksRequestCounts } from '../fakes/databricks/server.js';
import { databricksTarget } from '../fakes/databricks/target.js';
import { makeTestKeys, newFakeSnowflake, snowflakeTarget } from '../fakes/snowflake/target.js';
import type { SnowflakeRequestCounts } from '../fakes/snowflake/server.js';
import { dialectFor, queryRows, type TestTarget } from '../helpers/databases.js';
import { makeProject } from '../helpers/project.js';

type Counts = Readonly<Record<string, number>>;

interface Run {
  readonly counts: Counts;
  readonly report: Awaited<ReturnType<typeof upgrade>>;
  readonly rows: (sql: string) => Promise<Record<string, unknown>[]>;
}

/**
 * One upgrade run applying `files`, after an earlier run that applied `before` (when given), on a
 * fresh database; the requests counted are the measured run's only.
 */
async function measuredRun(
  target: TestTarget,
  mark: () => number,
  countsSince: (mark: number) => Counts,
  files: Record<string, string>,
  before: Record<string, string> = {},
): Promise<Run> {
  const project = makeProject(before);
  try {
    const { dialect } = await dialectFor(target, await target.fresh(), project.jetbaseDir);
    const ctx = { jetbaseDir: project.jetbaseDir, dialect };
    if (Object.keys(before).length > 0) expect((await upgrade(ctx)).ok).toBe(true);
    for (const [name, text] of Object.entries(files)) project.write(name, text);
    const start = mark();
    const report = await upgrade(ctx);
    return { counts: countsSince(start), report, rows: (sql) => queryRows(dialect, sql) };
  } finally {
    project.cleanup();
  }
}

/** `n` files V2..V(n+1) of one shape (`body(i)`), after V1 that `before` creates. */
function filesOf(n: number, body: (i: number) => string): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`V${i + 2}__m${i + 2}.sql`, body(i + 2)]));
}

function difference(a: Counts, b: Counts, divisor: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const value = ((a[key] ?? 0) - (b[key] ?? 0)) / divisor;
    if (value !== 0) result[key] = value;
  }
  return result;
}

/** Per-migration and fixed requests of a shape, from runs of 1 and 3 files. */
async function costOf(
  target: TestTarget,
  mark: () => number,
  countsSince: (mark: number) => Counts,
  body: (i: number) => string,
  before: Record<string, string> = {},
): Promise<{ perMigration: Record<string, number>; fixed: Record<string, number> }> {
  const one = await measuredRun(target, mark, countsSince, filesOf(1, body), before);
  const three = await measuredRun(target, mark, countsSince, filesOf(3, body), before);
  expect(one.report.ok).toBe(true);
  expect(three.report.ok).toBe(true);
  const perMigration = difference(three.counts, one.counts, 2);
  return { perMigration, fixed: difference(one.counts, perMigration, 1) };
}

const ONE_DDL = (i: number) => `CREATE TABLE t${i} (id INT);`;
const TWO_DDL_DML = (i: number) => `CREATE TABLE t${i} (id INT);\nINSERT INTO t${i} VALUES (${i});`;
const ONE_DML = (i: number) => `INSERT INTO items VALUES (${i});`;
const TWO_DML = (i: number) =>
  `INSERT INTO items VALUES (${i});\nUPDATE items SET id = id + 100 WHERE id = ${i};`;
const ITEMS = { 'V1__items.sql': 'CREATE TABLE items (id INT);' };

describe('Snowflake: requests per migration', () => {
  const keys = makeTestKeys();
  const fake = newFakeSnowflake(keys);
  const target = snowflakeTarget(fake, keys, 'password');
  const mark = () => fake.requests.length;
  const countsSince = (since: number): Counts => {
    const { total, ...byKind }: SnowflakeRequestCounts = fake.requestCounts(since);
    return { ...byKind, total };
  };
  beforeAll(() => fake.start());
  afterAll(async () => {
    expect(fake.unexpectedRequests).toEqual([]);
    expect(fake.openSessions).toBe(0);
    await fake.close();
  });

  test('fixed part of a run: login, tables, lock, history, unlock, logout', async () => {
    const { fixed } = await costOf(target, mark, countsSince, ONE_DDL);
    expect(fixed).toEqual({ login: 1, query: 11, close: 1, total: 13 });
    // Three CREATE TABLE IF NOT EXISTS fewer when the tables exist already.
    const later = await costOf(target, mark, countsSince, ONE_DML, ITEMS);
    expect(later.fixed).toEqual({ login: 1, query: 8, close: 1, total: 10 });
  });

  test('a DDL migration: its statements and the history row, no BEGIN or COMMIT', async () => {
    expect((await costOf(target, mark, countsSince, ONE_DDL)).perMigration).toEqual({ query: 2, total: 2 });
    expect((await costOf(target, mark, countsSince, TWO_DDL_DML)).perMigration).toEqual({
      query: 3,
      total: 3,
    });
  });

  test('a plain-DML migration: one multi-statement request and the read of its first result', async () => {
    expect((await costOf(target, mark, countsSince, ONE_DML, ITEMS)).perMigration).toEqual({
      query: 1,
      result: 1,
      total: 2,
    });
    expect((await costOf(target, mark, countsSince, TWO_DML, ITEMS)).perMigration).toEqual({
      query: 1,
      result: 1,
      total: 2,
    });
  });

  test('a failing plain-DML migration is rolled back and run again statement by statement to name the statement', async () => {
    const failing = {
      'V2__ok.sql': ONE_DML(2),
      'V3__bad.sql': "INSERT INTO items VALUES (3);\nINSERT INTO items VALUES ('x', 'too many');",
    };
    const first = fake.statements.length;
    const run = await measuredRun(target, mark, countsSince, failing, ITEMS);
    expect(run.report.ok).toBe(false);
    const error = run.report.error as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.statementIndex).toBe(1);
    expect(error.statement).toBe("INSERT INTO items VALUES ('x', 'too many')");
    expect(error.committedStatements).toEqual([]);
    // Snowflake's own message for the statement, not the multi-statement wrapper's.
    expect(error.driverMessage).not.toContain('multiple statements');
    expect((await run.rows('SELECT id FROM items ORDER BY id')).map((r) => Number(r.id))).toEqual([2]);
    const versions = await run.rows('SELECT version FROM jetbase_migrations ORDER BY order_executed');
    expect(versions.map((r) => r.version)).toEqual(['1', '2']);
    // The failed request (its statements up to the failing one), its ROLLBACK, then the file again
    // one statement at a time.
    const sent = fake.statements.slice(first).map((s) => s.sqlText.trim().split('\n')[0]);
    const from = sent.indexOf('INSERT INTO items VALUES (3)') - 1;
    expect(sent.slice(from, from + 8)).toEqual([
      'BEGIN',
      'INSERT INTO items VALUES (3)',
      "INSERT INTO items VALUES ('x', 'too many')",
      'ROLLBACK',
      'BEGIN',
      'INSERT INTO items VALUES (3)',
      "INSERT INTO items VALUES ('x', 'too many')",
      'ROLLBACK',
    ]);
  });
});

describe('Snowflake: multi-statement requests keep the one-statement meaning', () => {
  const keys = makeTestKeys();
  const fake = newFakeSnowflake(keys);
  const target = snowflakeTarget(fake, keys, 'password');
  beforeAll(() => fake.start());
  afterAll(() => fake.close());

  test('a statement that holds two: the count check fails before anything runs, and the error is the one-statement one', async () => {
    const run = await measuredRun(
      target,
      () => fake.requests.length,
      (since) => fake.requestCounts(since),
      { 'V2__two_in_one.sql': 'INSERT INTO items VALUES (1); INSERT INTO items VALUES (2);' },
      ITEMS,
    );
    const error = run.report.error as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.statementIndex).toBe(0);
    expect(error.driverMessage).toBe('Actual statement count 2 did not match the desired statement count 1.');
    expect(await run.rows('SELECT id FROM items')).toEqual([]);
    // Neither request ran a part of it.
    expect(fake.statements.filter((s) => s.sqlText.trim().startsWith('INSERT INTO items'))).toEqual([]);
  });
});

describe('Snowflake: the history write inlined into a multi-statement request', () => {
  const keys = makeTestKeys();
  const fake = newFakeSnowflake(keys);
  const target = snowflakeTarget(fake, keys, 'password');
  beforeAll(() => fake.start());
  afterAll(() => fake.close());

  test('quotes, backslashes, NULL, numbers and booleans arrive as the values they were', async () => {
    const { dialect } = await dialectFor(target, await target.fresh(), process.cwd());
    const conn = await dialect.connect();
    try {
      await conn.execute('CREATE TABLE kept (a VARCHAR(100), b VARCHAR(100), c INT, d BOOLEAN)');
      const values = ["it's \\a\\ back\\slash'' and \\'", null, 42, true] as const;
      const hooks = { before: () => Promise.resolve(), after: () => undefined };
      const mark = fake.requests.length;
      await conn.runInTransaction!(
        ["INSERT INTO kept (a) VALUES ('first')"],
        { sql: 'INSERT INTO kept (a, b, c, d) VALUES (?, ?, ?, ?)', params: values },
        hooks,
      );
      expect(fake.requestCounts(mark)).toMatchObject({ query: 1, result: 1, total: 2 });
      expect(await conn.query("SELECT a, b, c, d FROM kept WHERE a <> 'first'")).toEqual([
        { a: values[0], b: null, c: 42, d: true },
      ]);
    } finally {
      await conn.close();
    }
  });
});

describe('Databricks: requests per migration', () => {
  let fake: Awaited<ReturnType<typeof startFakeDatabricks>>;
  let target: TestTarget;
  const mark = () => fake.httpRequests.length;
  const countsSince = (since: number): Counts => fake.requestCounts(since) as DatabricksRequestCounts;
  beforeAll(async () => {
    fake = await startFakeDatabricks();
    target = databricksTarget(fake);
  });
  afterAll(async () => {
    expect(fake.unimplemented).toEqual([]);
    await fake.close();
  });

  test('fixed part of a run: session, tables, lock, history, unlock', async () => {
    const { fixed } = await costOf(target, mark, countsSince, ONE_DDL);
    expect(fixed).toEqual({ OpenSession: 1, ExecuteStatement: 9, CloseSession: 1, total: 11 });
    const later = await costOf(target, mark, countsSince, ONE_DML, ITEMS);
    expect(later.fixed).toEqual({ OpenSession: 1, ExecuteStatement: 8, CloseSession: 1, total: 10 });
  });

  test('one request per statement and one for the history row: results, status and close come inline', async () => {
    expect((await costOf(target, mark, countsSince, ONE_DDL)).perMigration).toEqual({
      ExecuteStatement: 2,
      total: 2,
    });
    expect((await costOf(target, mark, countsSince, TWO_DDL_DML)).perMigration).toEqual({
      ExecuteStatement: 3,
      total: 3,
    });
    expect((await costOf(target, mark, countsSince, TWO_DML, ITEMS)).perMigration).toEqual({
      ExecuteStatement: 3,
      total: 3,
    });
  });

  test('a statement that fails while running is reported with its own message', async () => {
    const run = await measuredRun(
      target,
      mark,
      countsSince,
      { 'V2__bad.sql': 'CREATE TABLE nn (name STRING NOT NULL);\nINSERT INTO nn VALUES (NULL);' },
      ITEMS,
    );
    const error = run.report.error as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.statementIndex).toBe(1);
    expect(error.driverMessage).toContain('DELTA_NOT_NULL_CONSTRAINT_VIOLATED');
    expect(error.committedStatements).toEqual(['CREATE TABLE nn (name STRING NOT NULL)']);
  });
});

describe('Databricks without direct results', () => {
  let fake: Awaited<ReturnType<typeof startFakeDatabricks>>;
  let target: TestTarget;
  const mark = () => fake.httpRequests.length;
  const countsSince = (since: number): Counts => fake.requestCounts(since) as DatabricksRequestCounts;
  beforeAll(async () => {
    fake = await startFakeDatabricks({ directResults: false });
    target = databricksTarget(fake);
  });
  afterAll(() => fake.close());

  test('every status, schema, fetch and close is a request of its own; a failure still names its statement', async () => {
    expect((await costOf(target, mark, countsSince, ONE_DDL)).perMigration).toEqual({
      ExecuteStatement: 2,
      GetOperationStatus: 2,
      GetResultSetMetadata: 2,
      FetchResults: 2,
      CloseOperation: 2,
      total: 10,
    });
    const run = await measuredRun(
      target,
      mark,
      countsSince,
      { 'V2__bad.sql': 'CREATE TABLE nn (name STRING NOT NULL);\nINSERT INTO nn VALUES (NULL);' },
      ITEMS,
    );
    const error = run.report.error as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.statementIndex).toBe(1);
    expect(error.driverMessage).toContain('DELTA_NOT_NULL_CONSTRAINT_VIOLATED');
  });
});
