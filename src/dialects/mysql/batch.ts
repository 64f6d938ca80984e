/**
 * One multi-statement COM_QUERY and what the server's replies say about it. The server runs the
 * statements in order, sends one result per statement (an OK packet, or a result set), and stops
 * at the first error; so the results that ended before the error tell how far it got.
 */
import type { Connection as CoreConnection, FieldPacket, QueryError } from 'mysql2';

export interface BatchReply {
  /** Results that ended before the server stopped (all of them when there is no error). */
  readonly ended: number;
  /**
   * Did a result set (rows) come back before the error? A CALL whose procedure selects rows sends
   * several results for one statement, so then `ended` counts statements only as a bound.
   */
  readonly rowsBefore: boolean;
  readonly error?: QueryError;
}

/** mysql2's Query counts the results it has finished reading; it keeps no public count. */
interface CountingQuery {
  _resultIndex?: unknown;
}

export function sendBatch(core: CoreConnection, sql: string): Promise<BatchReply> {
  return new Promise((resolve) => {
    let okPackets = 0;
    let resultSets = 0;
    // The callback form: mysql2 hands a lost connection to the callback, never to a bare emitter.
    const query = core.query(sql, (error: QueryError | null) => {
      if (!error) {
        resolve({ ended: okPackets + resultSets, rowsBefore: resultSets > 0 });
        return;
      }
      // An OK packet has ended when it arrives; a result set only at its EOF, which emits nothing,
      // so for a result set cut short by the error mysql2's own count decides.
      const counted = (query as unknown as CountingQuery)._resultIndex;
      const ended =
        resultSets === 0 ? okPackets : typeof counted === 'number' ? counted : okPackets + resultSets - 1;
      resolve({ ended, rowsBefore: resultSets > 0, error });
    });
    // 'fields' comes once per result: undefined for an OK packet, the columns for a result set.
    query.on('fields', (fields: FieldPacket[] | undefined) => {
      if (fields === undefined) okPackets += 1;
      else resultSets += 1;
    });
  });
}
