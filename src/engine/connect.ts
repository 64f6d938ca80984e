/**
 * The first connection of a command, retried while the database may still be starting (a CI
 * service container, a restarting server): transient network errors and "starting up" answers are
 * retried with exponential backoff within `EngineContext.connectRetryMs`. Everything else
 * (authentication, unknown database, TLS, bad URLs, a missing driver) fails at once: waiting would
 * not change the answer. Only the initial connection is retried; a connection lost mid-migration
 * fails the run (its transaction is rolled back), and the next run picks up.
 */
import type { Connection } from './dialect.js';
import { CancelledError, JetbaseError, errorMessage } from './errors.js';
import type { EngineContext } from './types.js';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

/** Node's socket errors that mean "not there yet" rather than "wrong". */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  '57P03', // PostgreSQL: cannot_connect_now (starting up, shutting down, in recovery)
  'PROTOCOL_CONNECTION_LOST',
]);

/**
 * Dialects scrub driver errors into plain Errors (no `code`) when the message held a password, so
 * the message is checked too.
 */
const TRANSIENT_MESSAGE =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b|the database system is (starting up|not yet accepting connections|in recovery mode)|Connection terminated unexpectedly|Connection terminated due to connection timeout|Connection lost: The server closed the connection/i;

export function isTransientConnectError(error: unknown): boolean {
  if (error instanceof JetbaseError) return false;
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return TRANSIENT_MESSAGE.test(errorMessage(error));
}

/** A connection that was up and is gone (reset, cut, server closed it): worth naming the target. */
const LOST_MESSAGE =
  /\b(ECONNRESET|EPIPE|ETIMEDOUT)\b|Connection terminated|server closed the connection|Connection lost|socket hang up|Client has encountered a connection error/i;

function isConnectionLoss(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'PROTOCOL_CONNECTION_LOST') return true;
    if (LOST_MESSAGE.test(errorMessage(current))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * An error of a command whose connection was lost, with the target named in front ("which
 * database?" is the first question when a network drops). Other errors are returned as they are.
 * A JetbaseError keeps its class and fields (a MigrationError still says what was rolled back).
 */
export function namingLostTarget<E>(error: E, target: string): E | JetbaseError {
  if (!isConnectionLoss(error)) return error;
  const prefix = `Lost the connection to ${target}: `;
  if (error instanceof JetbaseError) {
    if (!error.message.startsWith(prefix)) error.message = `${prefix}${error.message}`;
    return error;
  }
  return new JetbaseError('DATABASE', `${prefix}${errorMessage(error)}`, { cause: error });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function connectWithRetry(ctx: EngineContext, readOnly: boolean): Promise<Connection> {
  const { dialect, signal } = ctx;
  const budgetMs = Math.max(0, ctx.connectRetryMs ?? 0);
  const started = Date.now();
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dialect.connect({ readOnly });
    } catch (error) {
      if (error instanceof JetbaseError) throw error;
      const elapsed = Date.now() - started;
      const left = budgetMs - elapsed;
      if (!isTransientConnectError(error) || left <= 0) {
        const retried =
          attempt > 1 ? ` (gave up after ${attempt} attempts over ${(elapsed / 1000).toFixed(1)} s)` : '';
        throw new JetbaseError(
          'DATABASE',
          `Cannot connect to ${dialect.target}: ${errorMessage(error)}${retried}`,
          {
            cause: error,
            ...(isTransientConnectError(error) && budgetMs === 0
              ? {
                  hint: 'If the database is still starting, wait for it with --connect-timeout SECONDS (action input connect-timeout).',
                }
              : {}),
          },
        );
      }
      const wait = Math.min(delay, left);
      ctx.onEvent?.({ type: 'connect-retry', attempt, delayMs: wait, error: errorMessage(error) });
      await sleep(wait, signal);
      if (signal?.aborted) throw new CancelledError('Cancelled while waiting for the database.');
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
