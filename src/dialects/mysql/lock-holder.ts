/**
 * Lock holder liveness on MySQL/MariaDB (src/engine/lock.ts): the holder's session takes the named
 * lock `jetbase:<process id>` (GET_LOCK). The server frees it when the session ends, never while
 * it lives; IS_USED_LOCK from another session tells which (NULL: nobody holds it).
 */
import type { Connection, LockHolderLiveness } from '../../engine/dialect.js';
import { truthy } from '../../engine/history.js';

/** At most 64 characters: 8 + a 36-character id. */
function lockName(processId: string): string {
  return `jetbase:${processId}`;
}

async function firstValue(conn: Connection, sql: string, processId: string): Promise<unknown> {
  const [row] = await conn.query(sql, [lockName(processId)]);
  return row === undefined ? undefined : Object.values(row)[0];
}

export const mysqlLockHolder: LockHolderLiveness = {
  async claim(conn, processId) {
    if (!truthy(await firstValue(conn, 'SELECT GET_LOCK(?, 0)', processId)))
      throw new Error(`Another session already holds the named lock of process ${processId}.`);
  },
  async unclaim(conn, processId) {
    await firstValue(conn, 'SELECT RELEASE_LOCK(?)', processId);
  },
  async state(conn, processId) {
    const holder = await firstValue(conn, 'SELECT IS_USED_LOCK(?)', processId);
    return holder === null || holder === undefined ? 'gone' : 'alive';
  },
};
