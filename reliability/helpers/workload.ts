/**
 * A workload whose every migration leaves checkable effects: V<v> creates table t_<v>, writes into
 * it, and adds the row <v> to `effects`; some also do extra DML and a slow statement, so a kill or
 * a cut connection lands inside a transaction more often than between two. After any failure,
 * history and schema must agree: {versions in jetbase_migrations} = {v | t_<v> exists} = {effects}.
 */
import type { Connection, Dialect } from '../../src/engine/dialect.js';
import { truthy } from '../../src/engine/history.js';

export type WorkloadDatabase = 'postgresql' | 'sqlite' | 'mysql';

/** A statement that takes a few milliseconds inside the migration's transaction. */
function slowStatement(database: WorkloadDatabase): string {
  switch (database) {
    case 'postgresql':
      return 'SELECT pg_sleep(0.004);';
    case 'mysql':
      return 'SELECT SLEEP(0.004);';
    case 'sqlite':
      return 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT COUNT(*) FROM n;';
  }
}

/** `effects` and (PostgreSQL) the `attempts` sequence: created before the first run, outside history. */
export function setupStatements(database: WorkloadDatabase): string[] {
  const statements = ['CREATE TABLE effects (version INTEGER NOT NULL)'];
  if (database === 'postgresql') statements.push('CREATE SEQUENCE attempts');
  return statements;
}

export function workloadFiles(database: WorkloadDatabase, count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let v = 1; v <= count; v++) {
    const lines = [
      // A sequence is not transactional: nextval counts transactions begun, committed or not.
      ...(database === 'postgresql' ? ["SELECT nextval('attempts');"] : []),
      `CREATE TABLE t_${v} (id INTEGER PRIMARY KEY, note VARCHAR(40));`,
      `INSERT INTO t_${v} (id, note) VALUES (1, 'v${v}');`,
    ];
    if (v % 2 === 0) lines.push(slowStatement(database));
    if (v % 3 === 0)
      lines.push(
        `INSERT INTO t_${v} (id, note) VALUES (2, 'x');`,
        `UPDATE t_${v} SET note = 'y' WHERE id = 2;`,
      );
    lines.push(`INSERT INTO effects (version) VALUES (${v});`, '', '-- rollback', `DROP TABLE t_${v};`, '');
    files[`V${v}__step_${v}.sql`] = lines.join('\n');
  }
  return files;
}

export interface Agreement {
  readonly agree: boolean;
  readonly applied: number;
  readonly detail: string;
}

function versionsOf(rows: ReadonlyArray<Record<string, unknown>>, column: string): number[] {
  return rows.map((row) => Number(row[column])).sort((a, b) => a - b);
}

function tablesQuery(database: WorkloadDatabase): string {
  switch (database) {
    case 'sqlite':
      return "SELECT name AS table_name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\'";
    case 'postgresql':
      return "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 't\\_%'";
    case 'mysql':
      return "SELECT table_name AS table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 't\\_%'";
  }
}

/**
 * Reads history, tables and effects on a fresh connection and compares them; on PostgreSQL in one
 * snapshot: a killed or cut-off runner's migration may still commit meanwhile (a migration sent as
 * one message runs on without its client), and three reads apart could straddle that commit.
 */
export async function checkAgreement(dialect: Dialect, database: WorkloadDatabase): Promise<Agreement> {
  const conn = await dialect.connect();
  try {
    if (database !== 'postgresql') return await compare(conn, dialect, database);
    return await conn.transaction(async () => {
      await conn.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      return await compare(conn, dialect, database);
    });
  } finally {
    await conn.close();
  }
}

async function compare(conn: Connection, dialect: Dialect, database: WorkloadDatabase): Promise<Agreement> {
  // A kill before the first run created the tables leaves none: nothing applied.
  const [exists] = await conn.query(dialect.sql.tableExists('jetbase_migrations'));
  const history = truthy(exists === undefined ? false : Object.values(exists)[0])
    ? versionsOf(
        await conn.query("SELECT version FROM jetbase_migrations WHERE migration_type = 'VERSIONED'"),
        'version',
      )
    : [];
  const tables = (await conn.query(tablesQuery(database)))
    .map((row) => Number(String(row.table_name).slice(2)))
    .sort((a, b) => a - b);
  const effects = versionsOf(await conn.query('SELECT version FROM effects'), 'version');
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const agree = same(history, tables) && same(history, effects) && new Set(history).size === history.length;
  return {
    agree,
    applied: history.length,
    detail: agree ? '' : `history [${history}] tables [${tables}] effects [${effects}]`,
  };
}

export async function runStatements(dialect: Dialect, statements: readonly string[]): Promise<void> {
  const conn = await dialect.connect();
  try {
    for (const statement of statements) await conn.execute(statement);
  } finally {
    await conn.close();
  }
}

export async function firstNumber(dialect: Dialect, sql: string): Promise<number> {
  const conn = await dialect.connect();
  try {
    const [row] = await conn.query(sql);
    return Number(row === undefined ? NaN : Object.values(row)[0]);
  } finally {
    await conn.close();
  }
}
