/**
 * The two Jetbase tables (docs/format.md, "The history table", "The lock table"): engine-owned SQL
 * with `?` placeholders and explicit column lists (a column Jetbase adds later never disturbs us), read once per phase so the number of queries does not grow with the file count.
 */
import type { Connection, DialectSql, JetbaseTable, ParameterizedSql, SqlRow } from './dialect.js';
import type { MigrationType } from './names.js';

export interface HistoryRow {
  readonly orderExecuted: number;
  readonly version: string | null;
  readonly description: string;
  readonly filename: string;
  readonly migrationType: MigrationType;
  /** As the database shows it (text), e.g. `2026-11-25 12:31:00.823066`. */
  readonly appliedAt: string | null;
  readonly checksum: string | null;
}

export interface LockRow {
  readonly isLocked: boolean;
  readonly lockedAt: string | null;
  readonly processId: string | null;
}

export function truthy(value: unknown): boolean {
  if (typeof value === 'string')
    return value !== '' && value !== '0' && value.toLowerCase() !== 'false' && value !== 'f';
  if (typeof value === 'bigint') return value !== 0n;
  return Boolean(value);
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return String(value);
}

export async function tableExists(conn: Connection, sql: DialectSql, table: JetbaseTable): Promise<boolean> {
  const rows = await conn.query(sql.tableExists(table));
  const first = rows[0];
  if (!first) return false;
  return truthy(Object.values(first)[0]);
}

/** Creates `jetbase_migrations` when missing (its own statement, committed). */
export async function ensureMigrationsTable(conn: Connection, sql: DialectSql): Promise<void> {
  await conn.execute(sql.createMigrationsTable);
}

/** Creates `jetbase_lock` and its row id = 1 when missing, in a transaction of its own (docs/format.md, "The lock table"). */
export async function ensureLockTable(conn: Connection, sql: DialectSql): Promise<void> {
  await conn.transaction(async () => {
    await conn.execute(sql.createLockTable);
    await conn.execute(sql.initLockRow);
  });
}

const HISTORY_COLUMNS =
  'order_executed, version, description, filename, migration_type, applied_at, checksum';

function toHistoryRow(row: SqlRow): HistoryRow {
  return {
    orderExecuted: Number(row.order_executed),
    version: text(row.version),
    description: text(row.description) ?? '',
    filename: text(row.filename) ?? '',
    migrationType: (text(row.migration_type) ?? 'VERSIONED') as MigrationType,
    appliedAt: text(row.applied_at),
    checksum: text(row.checksum),
  };
}

/** All rows, oldest first: `applied_at` ASC with `order_executed` as the tie-break (docs/format.md, "Reading the history"). */
export async function readHistory(conn: Connection): Promise<HistoryRow[]> {
  const rows = await conn.query(
    `SELECT ${HISTORY_COLUMNS} FROM jetbase_migrations ORDER BY applied_at ASC, order_executed ASC`,
  );
  return rows.map(toHistoryRow);
}

/** The history, or an empty list when the table does not exist: read-only commands never create it. */
export async function readHistoryIfExists(
  conn: Connection,
  sql: DialectSql,
): Promise<{ exists: boolean; rows: HistoryRow[] }> {
  if (!(await tableExists(conn, sql, 'jetbase_migrations'))) return { exists: false, rows: [] };
  return { exists: true, rows: await readHistory(conn) };
}

/** The latest applied VERSIONED row: by applied_at, then order_executed. `rows` must be in readHistory order. */
export function latestVersioned(rows: readonly HistoryRow[]): HistoryRow | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    if (rows[i]!.migrationType === 'VERSIONED') return rows[i];
  }
  return undefined;
}

export interface NewHistoryRow {
  readonly version: string | null;
  readonly description: string;
  readonly filename: string;
  readonly migrationType: MigrationType;
  readonly checksum: string;
}

/** The history write of one migration: an INSERT, or for a repeatable that has a row, its UPDATE (docs/format.md, "The history table"). */
export function historyWrite(
  sql: DialectSql,
  row: NewHistoryRow,
  repeatableHasRow: boolean,
): ParameterizedSql {
  if (row.migrationType !== 'VERSIONED' && repeatableHasRow) {
    // A re-run keeps its row (and order_executed) and updates checksum and applied_at.
    return {
      sql: `UPDATE jetbase_migrations SET checksum = ?, applied_at = ${sql.now} WHERE filename = ? AND migration_type = ?`,
      params: [row.checksum, row.filename, row.migrationType],
    };
  }
  const params = [row.version, row.description, row.filename, row.migrationType, row.checksum];
  if (sql.insertSuppliesAppliedAt) {
    return {
      sql: `INSERT INTO jetbase_migrations (version, description, filename, migration_type, checksum, applied_at) VALUES (?, ?, ?, ?, ?, ${sql.now})`,
      params,
    };
  }
  return {
    sql: 'INSERT INTO jetbase_migrations (version, description, filename, migration_type, checksum) VALUES (?, ?, ?, ?, ?)',
    params,
  };
}

/** A rollback (and fix-files) deletes the VERSIONED row; Jetbase keeps no tombstone. */
export function historyDelete(version: string): ParameterizedSql {
  return {
    sql: "DELETE FROM jetbase_migrations WHERE version = ? AND migration_type = 'VERSIONED'",
    params: [version],
  };
}

export async function deleteVersionRow(conn: Connection, version: string): Promise<number> {
  const { sql, params } = historyDelete(version);
  return (await conn.execute(sql, params)).rowsAffected;
}

export async function deleteRepeatableRow(conn: Connection, filename: string): Promise<number> {
  const result = await conn.execute(
    "DELETE FROM jetbase_migrations WHERE filename = ? AND migration_type IN ('RUNS_ALWAYS', 'RUNS_ON_CHANGE')",
    [filename],
  );
  return result.rowsAffected;
}

export async function updateVersionChecksum(
  conn: Connection,
  version: string,
  checksum: string,
): Promise<void> {
  await conn.execute(
    "UPDATE jetbase_migrations SET checksum = ? WHERE version = ? AND migration_type = 'VERSIONED'",
    [checksum, version],
  );
}

export async function readLockRow(conn: Connection): Promise<LockRow | undefined> {
  const rows = await conn.query('SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1');
  const row = rows[0];
  if (!row) return undefined;
  return { isLocked: truthy(row.is_locked), lockedAt: text(row.locked_at), processId: text(row.process_id) };
}
