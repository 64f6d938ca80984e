/**
 * Read-only inspection: status (the plan with every problem: the PR check), history, current,
 * lock-status; and the two lock commands that write only the lock row (unlock, releaseLockOf).
 * None of the read-only ones creates a table.
 */
import { performance } from 'node:perf_hooks';

import { discoverMigrations } from './discovery.js';
import { latestVersioned, readHistoryIfExists, readLockRow, tableExists } from './history.js';
import { JetbaseError } from './errors.js';
import { forceUnlock, releaseLock } from './lock.js';
import { sleep } from './sleep.js';
import { buildPlan, hasErrors, type SkipOptions } from './plan.js';
import { bothTablesExist, withConnection } from './session.js';
import type {
  CurrentReport,
  EngineContext,
  HistoryReport,
  LockStatusReport,
  StatusReport,
  UnlockReport,
} from './types.js';

/** Read-only: the plan with every problem (the PR check). */
export async function status(ctx: EngineContext, options: SkipOptions = {}): Promise<StatusReport> {
  const started = performance.now();
  const discovery = discoverMigrations(ctx.jetbaseDir);
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    const { exists, rows } = await readHistoryIfExists(conn, ctx.dialect.sql);
    const plan = buildPlan(discovery, rows, options);
    return {
      command: 'status',
      target: ctx.dialect.target,
      tableExists: exists,
      applied: rows,
      plan,
      problems: plan.problems,
      currentVersion: plan.latest?.version ?? null,
      ok: !hasErrors(plan.problems),
      durationMs: performance.now() - started,
    };
  });
}

export async function history(ctx: EngineContext): Promise<HistoryReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    const { exists, rows } = await readHistoryIfExists(conn, ctx.dialect.sql);
    return {
      command: 'history',
      target: ctx.dialect.target,
      tableExists: exists,
      rows,
      durationMs: performance.now() - started,
    };
  });
}

export async function current(ctx: EngineContext): Promise<CurrentReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    const { rows } = await readHistoryIfExists(conn, ctx.dialect.sql);
    return {
      command: 'current',
      target: ctx.dialect.target,
      version: latestVersioned(rows)?.version ?? null,
      durationMs: performance.now() - started,
    };
  });
}

export async function lockStatus(ctx: EngineContext): Promise<LockStatusReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: true }, async (conn) => {
    // No lock table reads as UNLOCKED, on every database.
    const row = (await bothTablesExist(conn, ctx.dialect)) ? await readLockRow(conn) : undefined;
    return {
      command: 'lock-status',
      target: ctx.dialect.target,
      locked: row?.isLocked ?? false,
      lockedAt: row?.isLocked ? row.lockedAt : null,
      processId: row?.isLocked ? row.processId : null,
      row,
      durationMs: performance.now() - started,
    };
  });
}

export async function unlock(ctx: EngineContext): Promise<UnlockReport> {
  const started = performance.now();
  return withConnection(ctx, { readOnly: false }, async (conn) => {
    if (!(await bothTablesExist(conn, ctx.dialect))) {
      return {
        command: 'unlock',
        target: ctx.dialect.target,
        touchedDatabase: false,
        wasLocked: false,
        durationMs: performance.now() - started,
      };
    }
    const row = await readLockRow(conn);
    await forceUnlock(conn, ctx.dialect.sql);
    return {
      command: 'unlock',
      target: ctx.dialect.target,
      touchedDatabase: true,
      wasLocked: row?.isLocked ?? false,
      durationMs: performance.now() - started,
    };
  });
}

/** How long releaseLockOf waits for the holder's session to end before it leaves the lock held. */
export const HOLDER_SESSION_WAIT_MS = 30_000;

/**
 * Releases the lock held by `processId` (the action's post step after a kill, the run layer after
 * a lost connection); never another holder's. Where the dialect can tell that the holder's session
 * is still open (lockHolder), it waits for that session to end first, up to `waitMs`: a session
 * whose client is gone may still be running what it was sent, and on PostgreSQL a migration sent as
 * one message commits without its client (docs/architecture.md, "Cancellation and the lock").
 * Releasing meanwhile would let another runner start beside it.
 */
export async function releaseLockOf(
  ctx: EngineContext,
  processId: string,
  waitMs = HOLDER_SESSION_WAIT_MS,
): Promise<boolean> {
  return withConnection(ctx, { readOnly: false }, async (conn) => {
    if (!(await tableExists(conn, ctx.dialect.sql, 'jetbase_lock'))) return false;
    const liveness = ctx.dialect.lockHolder;
    if (liveness !== undefined) {
      const giveUp = Date.now() + waitMs;
      while ((await liveness.state(conn, processId)) === 'alive') {
        if (Date.now() >= giveUp || ctx.signal?.aborted)
          throw new JetbaseError(
            'LOCK_HELD',
            `the session of process ${processId} is still open on the database (it may still be running the migration it sent), so the lock stays held; the next run takes it over once that session ends`,
          );
        await sleep(Math.min(250, Math.max(0, giveUp - Date.now())), ctx.signal);
      }
    }
    return releaseLock(conn, ctx.dialect.sql, processId);
  });
}
