/**
 * Jetbase's lock row (docs/format.md, "Lock protocol"): the row is the lock, so this tool and the Python CLI
 * exclude each other. Acquire is one conditional UPDATE whose affected-row count is checked; we add
 * an optional bounded wait, re-create a missing row, and never release a lock that is not ours.
 *
 * Takeover (only for a runner told to wait, `--lock-timeout` / `lock-timeout` > 0): a lock whose
 * holder is gone is taken over instead of waited out. "Gone" needs positive evidence from the
 * dialect's LockHolderLiveness: the holder claimed its session before writing the row (PostgreSQL
 * advisory lock, MySQL named lock, both keyed to its process id) and that claim no longer exists,
 * or (SQLite) its OS process on this machine no longer exists. A holder id we did not write
 * (Python Jetbase) or cannot check is only ever waited for. The takeover is one conditional UPDATE
 * naming the dead holder, so of two waiters only one wins; the row keeps Jetbase's format.
 */
import type { Connection, DialectSql, LockHolderLiveness } from './dialect.js';
import { CancelledError, LockHeldError } from './errors.js';
import { readLockRow } from './history.js';
import { parseProcessId } from './process-id.js';
import { sleep } from './sleep.js';

export { newProcessId } from './process-id.js';

export const LOCK_HELD_MESSAGE =
  'Migration lock is already held by another process.\n\nIf you are completely sure that no other migrations are running, you can unlock using:\n  jetbase unlock\n\nWARNING: Unlocking then running a migration while another migration process is running may lead to database corruption.';

export interface LockHolder {
  readonly lockedAt: string | null;
  readonly processId: string | null;
}

export interface AcquireOptions {
  readonly processId: string;
  /** How long to wait for a held lock; 0 fails at once like Jetbase. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Called once when the lock is found held and we start waiting. */
  readonly onWait?: (holder: LockHolder) => void;
  /** The dialect's liveness hook: without it a held lock is only waited for. */
  readonly liveness?: LockHolderLiveness;
  /** Called when the lock of a holder that is gone was taken over. */
  readonly onTakeover?: (previous: LockHolder) => void;
}

async function tryAcquire(conn: Connection, sql: DialectSql, processId: string): Promise<boolean> {
  const result = await conn.execute(
    `UPDATE jetbase_lock SET is_locked = ${sql.true}, locked_at = ${sql.now}, process_id = ? WHERE id = 1 AND is_locked = ${sql.false}`,
    [processId],
  );
  return result.rowsAffected === 1;
}

/** Takes the lock from `deadHolder` only if the row still names it (another waiter may have won). */
async function tryTakeOver(
  conn: Connection,
  sql: DialectSql,
  deadHolder: string,
  processId: string,
): Promise<boolean> {
  const result = await conn.execute(
    `UPDATE jetbase_lock SET is_locked = ${sql.true}, locked_at = ${sql.now}, process_id = ? WHERE id = 1 AND is_locked = ${sql.true} AND process_id = ?`,
    [processId, deadHolder],
  );
  return result.rowsAffected === 1;
}

/** A check that fails proves nothing: 'unknown', and the runner keeps waiting. */
async function holderState(
  conn: Connection,
  liveness: LockHolderLiveness,
  processId: string,
): Promise<'alive' | 'gone' | 'unknown'> {
  // Only our holders claim their session; any other holder (Python Jetbase) is alive as far as we know.
  if (parseProcessId(processId) === undefined) return 'unknown';
  try {
    return await liveness.state(conn, processId);
  } catch {
    return 'unknown';
  }
}

/** Returns how long it waited (ms). Throws LockHeldError when the lock stays held past the timeout. */
export async function acquireLock(
  conn: Connection,
  sql: DialectSql,
  options: AcquireOptions,
): Promise<number> {
  const started = Date.now();
  let delay = 100;
  let announced = false;
  // Claimed before the row is written, so no one ever sees our id in the row without our claim.
  await options.liveness?.claim(conn, options.processId);
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError('Cancelled while waiting for the migration lock.');
    let acquired: boolean;
    try {
      acquired = await tryAcquire(conn, sql, options.processId);
    } catch (error) {
      // While another runner is mid-migration, SQLite reports its file as busy and MySQL may time
      // out on the row lock: within our wait budget that is "held", past it the error stands.
      if (Date.now() - started >= options.timeoutMs) throw error;
      await sleep(Math.min(delay, options.timeoutMs - (Date.now() - started)), options.signal);
      delay = Math.min(delay * 2, 2000);
      continue;
    }
    if (acquired) return Date.now() - started;
    const row = await readLockRow(conn);
    if (row === undefined) {
      // A missing row is created, not reported as "held" as Jetbase does.
      await conn.execute(sql.initLockRow);
      continue;
    }
    if (!row.isLocked) continue; // released between our two statements
    if (
      options.timeoutMs > 0 &&
      options.liveness !== undefined &&
      row.processId !== null &&
      (await holderState(conn, options.liveness, row.processId)) === 'gone' &&
      (await tryTakeOver(conn, sql, row.processId, options.processId))
    ) {
      options.onTakeover?.({ lockedAt: row.lockedAt, processId: row.processId });
      return Date.now() - started;
    }
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) {
      const holder = `Held since ${row.lockedAt ?? 'an unknown time'} by process ${row.processId ?? 'unknown'}.`;
      const waitedText = options.timeoutMs > 0 ? ` Waited ${(waited / 1000).toFixed(1)} s.` : '';
      throw new LockHeldError(`${LOCK_HELD_MESSAGE}\n\n${holder}${waitedText}`, {
        hint:
          options.timeoutMs > 0
            ? undefined
            : 'Set a lock timeout (--lock-timeout SECONDS, action input lock-timeout) to wait for a running migration instead of failing.',
      });
    }
    if (!announced) {
      options.onWait?.({ lockedAt: row.lockedAt, processId: row.processId });
      announced = true;
    }
    await sleep(Math.min(delay, options.timeoutMs - waited), options.signal);
    delay = Math.min(delay * 2, 2000);
  }
}

/** Releases the lock only when `processId` holds it; returns whether it did. */
export async function releaseLock(conn: Connection, sql: DialectSql, processId: string): Promise<boolean> {
  const result = await conn.execute(
    `UPDATE jetbase_lock SET is_locked = ${sql.false}, locked_at = NULL, process_id = NULL WHERE id = 1 AND process_id = ?`,
    [processId],
  );
  return result.rowsAffected > 0;
}

/** `jetbase unlock`: no process_id condition, for a human who knows nothing is running. */
export async function forceUnlock(conn: Connection, sql: DialectSql): Promise<void> {
  await conn.execute(
    `UPDATE jetbase_lock SET is_locked = ${sql.false}, locked_at = NULL, process_id = NULL WHERE id = 1`,
  );
}
