/**
 * The lock takeover rule (src/engine/lock.ts): a runner told to wait takes over the lock of a
 * holder that is gone, never a live holder's, never one whose id we did not write, and never
 * when it was not told to wait. SQLite always; PostgreSQL and MariaDB when their URLs are set.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import type { Connection, Dialect } from '../../src/engine/dialect.js';
import { LockHeldError } from '../../src/engine/errors.js';
import { ensureLockTable } from '../../src/engine/history.js';
import { acquireLock, releaseLock, type LockHolder } from '../../src/engine/lock.js';
import { newProcessId, parseProcessId } from '../../src/engine/process-id.js';
import {
  MYSQL_URL,
  PG_URL,
  dialectFor,
  mysqlTarget,
  postgresTarget,
  sqliteTarget,
  type TestTarget,
} from '../helpers/databases.js';

const targets: TestTarget[] = [sqliteTarget()];
if (PG_URL) targets.push(postgresTarget(PG_URL));
if (MYSQL_URL) targets.push(mysqlTarget(MYSQL_URL));

/** A process id of this machine that no longer exists: a child that ran and was reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

async function open(target: TestTarget): Promise<Dialect> {
  const url = await target.fresh();
  const { dialect } = await dialectFor(target, url, process.cwd());
  const conn = await dialect.connect();
  await ensureLockTable(conn, dialect.sql);
  await conn.close();
  return dialect;
}

function acquire(
  conn: Connection,
  dialect: Dialect,
  processId: string,
  timeoutMs: number,
  took?: LockHolder[],
) {
  return acquireLock(conn, dialect.sql, {
    processId,
    timeoutMs,
    ...(dialect.lockHolder ? { liveness: dialect.lockHolder } : {}),
    onTakeover: (previous) => took?.push(previous),
  });
}

/** Marks the lock as held by `processId` the way a holder that then vanished would have left it. */
async function leaveHeldBy(dialect: Dialect, processId: string): Promise<void> {
  const conn = await dialect.connect();
  await conn.execute(
    `UPDATE jetbase_lock SET is_locked = ${dialect.sql.true}, locked_at = ${dialect.sql.now}, process_id = ? WHERE id = 1`,
    [processId],
  );
  await conn.close();
}

test('our holder ids name the process and are told apart from Python Jetbase ids', () => {
  const id = newProcessId(4242);
  expect(id).toHaveLength(36);
  expect(parseProcessId(id)?.pid).toBe(4242);
  expect(parseProcessId(randomUUID())).toBeUndefined();
});

describe.each(targets)('$name', (target) => {
  test('a live holder is waited for, never taken over', async () => {
    const dialect = await open(target);
    const holderConn = await dialect.connect();
    const waiterConn = await dialect.connect();
    try {
      const holder = newProcessId();
      await acquire(holderConn, dialect, holder, 0);
      const took: LockHolder[] = [];
      const started = Date.now();
      await expect(acquire(waiterConn, dialect, newProcessId(), 1200, took)).rejects.toBeInstanceOf(
        LockHeldError,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
      expect(took).toEqual([]);
      expect(await releaseLock(holderConn, dialect.sql, holder)).toBe(true);
    } finally {
      await holderConn.close();
      await waiterConn.close();
    }
  });

  test('a holder that is gone is taken over by a waiting runner, logged, with the row format kept', async () => {
    const dialect = await open(target);
    let gone: string;
    if (dialect.name === 'sqlite') {
      gone = newProcessId(deadPid());
      await leaveHeldBy(dialect, gone);
    } else {
      // The holder's session ends without releasing: its claim goes with it.
      const holderConn = await dialect.connect();
      gone = newProcessId();
      await acquire(holderConn, dialect, gone, 0);
      await holderConn.close();
    }
    const waiterConn = await dialect.connect();
    try {
      const took: LockHolder[] = [];
      const waiter = newProcessId();
      await acquire(waiterConn, dialect, waiter, 10_000, took);
      expect(took.map((t) => t.processId)).toEqual([gone]);
      const [row] = await waiterConn.query(
        'SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1',
      );
      expect(row!.process_id).toBe(waiter);
      expect(row!.locked_at).not.toBeNull();
      expect(await releaseLock(waiterConn, dialect.sql, waiter)).toBe(true);
    } finally {
      await waiterConn.close();
    }
  });

  test('an id we did not write (Python Jetbase) and a runner not told to wait never take over', async () => {
    const dialect = await open(target);
    const conn = await dialect.connect();
    try {
      await leaveHeldBy(dialect, randomUUID());
      await expect(acquire(conn, dialect, newProcessId(), 600)).rejects.toBeInstanceOf(LockHeldError);
      const gone = newProcessId(deadPid());
      await leaveHeldBy(dialect, gone);
      await expect(acquire(conn, dialect, newProcessId(), 0)).rejects.toBeInstanceOf(LockHeldError);
    } finally {
      await conn.close();
    }
  });
});
