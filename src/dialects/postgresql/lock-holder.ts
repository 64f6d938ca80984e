/**
 * Lock holder liveness on PostgreSQL (src/engine/lock.ts): the holder's session keeps a
 * session-level advisory lock keyed to its process id. PostgreSQL drops it when the session ends
 * (the client was killed, the connection cut and noticed by the server), never while the session
 * lives, even mid-statement. A waiter that can take the advisory lock itself knows the holder is
 * gone; it lets go of it at once.
 */
import { createHash } from 'node:crypto';

import type { Connection, LockHolderLiveness } from '../../engine/dialect.js';
import { truthy } from '../../engine/history.js';

/** Two int4 keys from the process id (the two-key form leaves the one-bigint space to applications). */
function advisoryKeys(processId: string): string {
  const digest = createHash('sha256').update(`jetbase-lock:${processId}`).digest();
  return `${digest.readInt32BE(0)}, ${digest.readInt32BE(4)}`;
}

async function firstValue(conn: Connection, sql: string): Promise<unknown> {
  const [row] = await conn.query(sql);
  return row === undefined ? undefined : Object.values(row)[0];
}

export const postgresqlLockHolder: LockHolderLiveness = {
  async claim(conn, processId) {
    // Keys are integers computed here: inlined, no parameter types to resolve.
    if (!truthy(await firstValue(conn, `SELECT pg_try_advisory_lock(${advisoryKeys(processId)})`)))
      throw new Error(`Another session already holds the advisory lock of process ${processId}.`);
  },
  async unclaim(conn, processId) {
    await conn.query(`SELECT pg_advisory_unlock(${advisoryKeys(processId)})`);
  },
  async state(conn, processId) {
    const keys = advisoryKeys(processId);
    if (!truthy(await firstValue(conn, `SELECT pg_try_advisory_lock(${keys})`))) return 'alive';
    await conn.query(`SELECT pg_advisory_unlock(${keys})`);
    return 'gone';
  },
};
