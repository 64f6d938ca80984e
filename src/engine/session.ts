/**
 * What every command does around its work: one pinned connection, the Jetbase tables created only
 * when a command writes, and Jetbase's lock row held around the writes (docs/format.md, "Lock
 * protocol"). Read-only commands never create tables, never lock and never write.
 */
import type { Connection, Dialect } from './dialect.js';
import { connectWithRetry, namingLostTarget } from './connect.js';
import { CancelledError } from './errors.js';
import { ensureLockTable, ensureMigrationsTable, readLockRow, tableExists } from './history.js';
import { acquireLock, newProcessId, releaseLock } from './lock.js';
import type { EngineContext } from './types.js';

/** `readOnly` for commands that never write: the dialect then makes the session refuse writes. */
export async function withConnection<T>(
  ctx: EngineContext,
  { readOnly }: { readOnly: boolean },
  fn: (conn: Connection) => Promise<T>,
): Promise<T> {
  const conn = await connectWithRetry(ctx, readOnly);
  try {
    return await fn(conn);
  } catch (error) {
    throw namingLostTarget(error, ctx.dialect);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/**
 * Creates what is missing of the two tables and the lock row. Probing first matters: a CREATE
 * (even IF NOT EXISTS) takes SQLite's write lock, which a running upgrade in another process
 * holds for the length of a migration, so a waiting runner would fail on "database is locked"
 * instead of waiting on Jetbase's lock row.
 */
export async function ensureTables(conn: Connection, dialect: Dialect): Promise<void> {
  // Runners racing on a fresh database all find a table missing and all create it; PostgreSQL may
  // fail the losers (a unique violation in its catalog, even with IF NOT EXISTS). A loser probes
  // again and finds the winner's table.
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await tableExists(conn, dialect.sql, 'jetbase_migrations')))
        await ensureMigrationsTable(conn, dialect.sql);
      if (
        !(await tableExists(conn, dialect.sql, 'jetbase_lock')) ||
        (await readLockRow(conn)) === undefined
      ) {
        await ensureLockTable(conn, dialect.sql);
      }
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

export async function bothTablesExist(conn: Connection, dialect: Dialect): Promise<boolean> {
  return (
    (await tableExists(conn, dialect.sql, 'jetbase_migrations')) &&
    (await tableExists(conn, dialect.sql, 'jetbase_lock'))
  );
}

/** Holds Jetbase's lock around fn; the release never hides fn's own error. */
export async function withLock<T>(
  ctx: EngineContext,
  conn: Connection,
  fn: () => Promise<T>,
): Promise<{ value: T; waitedMs: number }> {
  const sql = ctx.dialect.sql;
  const processId = ctx.processId ?? newProcessId();
  const liveness = ctx.dialect.lockHolder;
  const dropClaim = () => liveness?.unclaim(conn, processId).catch(() => undefined);
  let waitedMs: number;
  try {
    waitedMs = await acquireLock(conn, sql, {
      processId,
      timeoutMs: ctx.lockTimeoutMs ?? 0,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(liveness ? { liveness } : {}),
      onWait: (holder) => ctx.onEvent?.({ type: 'waiting-for-lock', ...holder }),
      onTakeover: (previous) =>
        ctx.onEvent?.({
          type: 'lock-taken-over',
          previousProcessId: previous.processId,
          lockedAt: previous.lockedAt,
          processId,
        }),
    });
  } catch (error) {
    await dropClaim();
    throw error;
  }
  ctx.onEvent?.({ type: 'lock-acquired', processId, waitedMs });
  try {
    return { value: await fn(), waitedMs };
  } finally {
    try {
      await releaseLock(conn, sql, processId);
      ctx.onEvent?.({ type: 'lock-released', processId });
    } catch {
      // The connection may be gone (cancelled, cut); the run layer releases by process id on a new one.
    }
    // Only once the row is free: while it names us, our claim is what keeps waiters from taking over.
    await dropClaim();
  }
}

/**
 * Synchronous drivers (SQLite) never yield to the event loop, so a signal handler would not run
 * until the whole upgrade ended: give it a turn before checking.
 */
export async function throwIfCancelled(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new CancelledError();
}
