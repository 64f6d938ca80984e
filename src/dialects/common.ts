/** Small helpers shared by the dialect adapters. */

import type { SqlRow } from '../engine/dialect.js';

/** Rows come back with lower-case column names, whatever the database or the SQL spelled. */
export function lowerCaseKeys(row: object): SqlRow {
  const result: SqlRow = {};
  for (const [key, value] of Object.entries(row)) result[key.toLowerCase()] = value;
  return result;
}

/**
 * The lock row's idempotent creation on Snowflake and Databricks: Jetbase issues this one MERGE text
 * on both.
 */
export const MERGE_LOCK_ROW = `MERGE INTO jetbase_lock AS target
            USING (SELECT 1 AS id, FALSE AS is_locked) AS source
            ON target.id = source.id
            WHEN NOT MATCHED THEN
                INSERT (id, is_locked) VALUES (source.id, source.is_locked)`;

/**
 * Jetbase's table probe on Snowflake and Databricks; they differ only in how the table's name is
 * compared (`nameMatches`, e.g. `TABLE_NAME = 'JETBASE_LOCK'`).
 */
export function currentSchemaTableProbe(nameMatches: string): string {
  return `SELECT COUNT(*) > 0 AS table_exists
            FROM INFORMATION_SCHEMA.TABLES
            WHERE TABLE_SCHEMA = CURRENT_SCHEMA()
              AND ${nameMatches}`;
}

/**
 * BEGIN … COMMIT around fn, ROLLBACK when fn (or the COMMIT) throws. `send` runs one statement on
 * the session; `begin` is the statement that opens the transaction (MySQL's START TRANSACTION,
 * SQLite's BEGIN IMMEDIATE). A failed ROLLBACK is swallowed: the connection is gone or the database
 * already rolled back by itself, and fn's error is the one that says what happened.
 */
export async function inTransaction<T>(
  send: (sql: string) => Promise<unknown>,
  fn: () => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  await send(begin);
  try {
    const result = await fn();
    await send('COMMIT');
    return result;
  } catch (error) {
    await send('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A dotted-quad 127.x.y.z with every part 0-255: the 127.0.0.0/8 loopback block. */
const IPV4_LOOPBACK = /^127\.(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){2}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

/**
 * Is this host the machine itself: 127.0.0.0/8, `::1` (bare or as `[::1]`), or `localhost` (in any
 * case, as DNS names are)? Nothing else counts, so plain HTTP to it never crosses a network.
 */
export function isLoopbackHost(host: string): boolean {
  return host === '::1' || host === '[::1]' || host.toLowerCase() === 'localhost' || IPV4_LOOPBACK.test(host);
}

/**
 * Removes a password (as written and percent-encoded) from a driver message. The engine redacts
 * again before printing; this keeps a connection error clean even when it is logged raw.
 */
export function withoutSecret(message: string, secret: string | null): string {
  if (!secret) return message;
  let clean = message;
  for (const form of new Set([secret, encodeURIComponent(secret)])) clean = clean.split(form).join('***');
  return clean;
}

/**
 * The driver's error when it holds no password, else a new Error with the scrubbed message (no
 * `cause`: the original would carry the password along).
 */
export function scrubbedError(error: unknown, secret: string | null): Error {
  const message = error instanceof Error ? error.message : String(error);
  const clean = withoutSecret(message, secret);
  if (error instanceof Error && clean === message) return error;
  return new Error(clean);
}

/**
 * The error as an Error of this realm. Native drivers build theirs outside it (Jest's module
 * sandbox, for one), where `instanceof Error` is false; the message and a string `code` are kept.
 */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const { message, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    code?: unknown;
  };
  const result = new Error(typeof message === 'string' ? message : String(error)) as Error & {
    code?: string;
  };
  if (typeof code === 'string') result.code = code;
  return result;
}
