/**
 * One multi-statement COM_QUERY and what the server's replies say about it. The server runs the
 * statements in order, sends the results of each (an OK packet, or a result set) and stops at the
 * first error; so the results that ended before the error tell how far it got.
 */
import type { Connection as CoreConnection, FieldPacket, QueryError } from 'mysql2';

export interface BatchReply {
  /** Results that ended before the server stopped (all of them when there is no error). */
  readonly ended: number;
  /**
   * Did a result set other than the mark come back before the error? A CALL whose procedure
   * selects rows sends several results for one statement: then `ended` bounds the statements
   * that ran but does not count them.
   */
  readonly rowsBefore: boolean;
  /** Did the mark's result set come back (see `markQuery`)? */
  readonly marked: boolean;
  readonly error?: QueryError;
}

/**
 * A query whose one-column result set says "everything before me ran". Placed after the last
 * statement of a migration, where nothing of the user's reads what it resets (ROW_COUNT(), the
 * warnings): it tells the history write's failure from a statement's.
 */
export function markQuery(column: string): string {
  return `SELECT 1 AS ${column}`;
}

/** mysql2's Query counts the results it has finished reading; it keeps no public count. */
interface CountingQuery {
  _resultIndex?: unknown;
}

export function sendBatch(core: CoreConnection, sql: string, markColumn: string): Promise<BatchReply> {
  return new Promise((resolve) => {
    let okPackets = 0;
    let resultSets = 0;
    let marked = false;
    // The callback form: mysql2 hands a lost connection to the callback, never to a bare emitter.
    const query = core.query(sql, (error: QueryError | null) => {
      const rowsBefore = resultSets > (marked ? 1 : 0);
      if (!error) {
        resolve({ ended: okPackets + resultSets, rowsBefore, marked });
        return;
      }
      // An OK packet has ended when it arrives; a result set only at its EOF, which emits nothing,
      // so for a result set cut short by the error mysql2's own count decides.
      const counted = (query as unknown as CountingQuery)._resultIndex;
      const ended =
        resultSets === 0 ? okPackets : typeof counted === 'number' ? counted : okPackets + resultSets - 1;
      resolve({ ended, rowsBefore, marked, error });
    });
    // 'fields' comes once per result: undefined for an OK packet, the columns for a result set.
    query.on('fields', (fields: FieldPacket[] | undefined) => {
      if (fields === undefined) okPackets += 1;
      else {
        resultSets += 1;
        if (fields.length === 1 && fields[0]?.name === markColumn) marked = true;
      }
    });
  });
}
