/**
 * A whole migration as one message to the server: the extended query protocol's Parse, Bind and
 * Execute for every step (BEGIN, the search_path, each statement, the history write, COMMIT) and a
 * single Sync at the end (docs/architecture.md, "PostgreSQL in one round trip").
 *
 * Why this is safe: the server runs the steps in order and answers each with CommandComplete. At
 * the first error it sends ErrorResponse and discards every message up to the Sync, so nothing
 * after a failed step runs: not the next statement, not the history write, not the COMMIT. The
 * number of CommandComplete replies before the error is the index of the step that failed, read
 * from the server's replies rather than guessed.
 *
 * Why not one simple Query with everything joined by `;`: the server would re-split the text
 * itself, so pieces Jetbase's line splitting cut apart (a function body split at a `;` line end)
 * would run together and succeed where Jetbase fails them. Parse takes exactly one statement.
 */
import type pg from 'pg';

import type { SqlValue } from '../../engine/dialect.js';

/** One step of the message: SQL with `$n` placeholders and their values (none for file statements). */
export interface Step {
  readonly text: string;
  readonly values: readonly SqlValue[];
}

/**
 * Where a step failed: the server refused its text (Parse) or its values (Bind) before running it,
 * or it failed running (Execute; also a connection lost while waiting).
 */
export type StepPhase = 'parse' | 'bind' | 'execute';

/**
 * Could this statement be a COPY … FROM STDIN? Such a statement makes the server read the next
 * message as COPY data; in one message that is the next step's Parse, a protocol error after which
 * the server closes the session. COPY must be the statement's own first keyword, so any text
 * without the word is safe; a text with it (in a name, a string, a comment) only goes the slower
 * way. A choice of how to send, not a reading of what the statement does.
 */
export function mayReadCopyData(statement: string): boolean {
  return /\bcopy\b/i.test(statement);
}

/** A step failed: `step` is its index in the list sent; `cause` is node-postgres' error. */
export class StepFailure extends Error {
  readonly step: number;
  readonly phase: StepPhase;
  constructor(step: number, phase: StepPhase, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'StepFailure';
    this.step = step;
    this.phase = phase;
  }
}

/** Bind sends text: booleans as PostgreSQL spells them, numbers in full, NULL as null. */
function asText(value: SqlValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/**
 * The node-postgres "submittable" that sends the steps and follows the replies. The client calls
 * the handle* methods as the server's messages arrive; after an ErrorResponse it calls handleError
 * and no longer this object's handleReadyForQuery (the client itself waits for ReadyForQuery before
 * its next query, so a ROLLBACK sent after a failure goes out once the server is ready for it).
 */
class OneMessage implements pg.Submittable {
  private completed = 0;
  private parsed = 0;
  private bound = 0;
  private settled = false;
  private detach: () => void = () => undefined;

  constructor(
    private readonly steps: readonly Step[],
    private readonly onStepDone: (step: number) => void,
    private readonly resolve: () => void,
    private readonly reject: (error: StepFailure) => void,
  ) {}

  submit(connection: pg.Connection): void {
    // The client does not pass ParseComplete/BindComplete on to a submittable; the connection emits them.
    const onParsed = (): void => {
      this.parsed += 1;
    };
    const onBound = (): void => {
      this.bound += 1;
    };
    connection.on('parseComplete', onParsed);
    connection.on('bindComplete', onBound);
    this.detach = () => {
      connection.off('parseComplete', onParsed);
      connection.off('bindComplete', onBound);
    };
    // Corked: the messages leave as few TCP segments as the socket allows, not one per message.
    connection.stream.cork();
    try {
      for (const step of this.steps) {
        connection.parse({ name: '', text: step.text, types: [] }, true);
        connection.bind({ portal: '', statement: '', values: step.values.map(asText) }, true);
        connection.execute({ portal: '' }, true);
      }
      connection.sync();
    } finally {
      connection.stream.uncork();
    }
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  handleCommandComplete(): void {
    this.onStepDone(this.completed);
    this.completed += 1;
  }

  /** A statement that is only a comment: the server answers EmptyQueryResponse in its place. */
  handleEmptyQuery(): void {
    this.handleCommandComplete();
  }

  /**
   * Never expected (mayReadCopyData keeps such files out); should it happen, the server reads the
   * next Parse as a protocol error and ends the session, which fails the step as a lost connection.
   */
  handleCopyInResponse(): void {}

  handleError(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.detach();
    const step = this.completed;
    const phase = this.parsed <= step ? 'parse' : this.bound <= step ? 'bind' : 'execute';
    this.reject(new StepFailure(step, phase, error));
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    this.detach();
    this.resolve();
  }
}

/**
 * Sends the steps as one message and waits for the server's ReadyForQuery. Resolves when every
 * step completed; rejects with the StepFailure of the first step that failed (the server ran
 * nothing after it). `onStepDone` is called for each step that completed, in order.
 */
export function sendAsOneMessage(
  client: pg.Client,
  steps: readonly Step[],
  onStepDone: (step: number) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    client.query(new OneMessage(steps, onStepDone, resolve, reject));
  });
}
