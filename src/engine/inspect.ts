/**
 * Read-only inspection: status (the plan with every problem: the PR check), history, current,
 * lock-status; and the two lock commands that write only the lock row (unlock, releaseLockOf).
 * None of the read-only ones creates a table.
 */
import { performance } from 'node:perf_hooks';

import { discoverMigrations } from './discovery.js';
import { latestVersioned, readHistoryIfExists, readLockRow, tableExists } from './history.js';
import { forceUnlock, releaseLock } from './lock.js';
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

/** Releases the lock held by `processId` (the action's post step after a kill); never another holder's. */
export async function releaseLockOf(ctx: EngineContext, processId: string): Promise<boolean> {
  return withConnection(ctx, { readOnly: false }, async (conn) => {
    if (!(await tableExists(conn, ctx.dialect.sql, 'jetbase_lock'))) return false;
    return releaseLock(conn, ctx.dialect.sql, processId);
  });
}
