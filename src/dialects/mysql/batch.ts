/**
 * A migration as one multi-statement COM_QUERY, and what the server's replies say about it. The
 * server runs the statements in order, sends the results of each (an OK packet, or a result set)
 * and stops at the first error.
 *
 * Each statement of the file is followed by two of ours:
 * - `HELP '…'`, a fence: harmless at top level (it reads the help tables and returns no rows),
 *   but a statement the server refuses inside a stored program body (ER_SP_BADSTATEMENT). Where
 *   Jetbase's line splitting cut a body apart (a procedure without a `delimiter=` directive), the
 *   server would otherwise read on through the following pieces as one CREATE PROCEDURE and run
 *   what Jetbase fails; at the fence it refuses the piece instead, before running anything of it.
 * - `SELECT i AS jetbase_statement_done`, a mark: its one-column result set says statement i
 *   ended. Counting marks, not results, names the failing statement even when one statement sent
 *   several results (a CALL whose procedure selects rows).
 * Both reset ROW_COUNT() and FOUND_ROWS() (MariaDB keeps the warnings): a statement that reads
 * those sees the fence, not the statement before it.
 */
import type { Connection as CoreConnection, FieldPacket, QueryError } from 'mysql2';

const FENCE = "HELP 'jetbase'";
const MARK_COLUMN = 'jetbase_statement_done';

function markQuery(index: number): string {
  return `SELECT ${index} AS ${MARK_COLUMN}`;
}

/** One statement's part of the query: on lines of its own, as it may end in a `--` or `#` comment. */
function batchOf(parts: readonly string[]): string {
  return parts.join('\n;\n');
}

/** The query for a migration: the fence first (it tells whether this server has HELP), then the transaction. */
export function migrationBatch(statements: readonly string[], history: string): string {
  const body = statements.flatMap((statement, index) => [statement, FENCE, markQuery(index)]);
  return batchOf([FENCE, 'START TRANSACTION', ...body, history, 'COMMIT']);
}

/** Results a migration's query sends when all goes well: at least one per part. */
export function partsOf(statements: readonly string[]): number {
  return statements.length * 3 + 4;
}

export interface BatchReply {
  /** Results that came before the server stopped (all of them when there is no error). */
  readonly results: number;
  /** Marks that came back: statements 0 … marks - 1 ended. */
  readonly marks: number;
  readonly error?: QueryError;
}

export function sendBatch(core: CoreConnection, sql: string): Promise<BatchReply> {
  return new Promise((resolve) => {
    let results = 0;
    let marks = 0;
    // The callback form: mysql2 hands a lost connection to the callback, never to a bare emitter.
    core
      .query(sql, (error: QueryError | null) => {
        resolve(error ? { results, marks, error } : { results, marks });
      })
      .on('fields', (fields: FieldPacket[] | undefined) => {
        // Once per result: undefined for an OK packet, the columns for a result set.
        results += 1;
        if (fields?.length === 1 && fields[0]?.name === MARK_COLUMN) marks += 1;
      });
  });
}
