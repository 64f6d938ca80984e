/**
 * The first connection of a command, retried while the database may still be starting (a CI
 * service container, a restarting server): transient network errors and "starting up" answers are
 * retried with exponential backoff within `EngineContext.connectRetryMs`. Everything else
 * (authentication, unknown database, TLS, bad URLs, a missing driver) fails at once: waiting would
 * not change the answer. Only the initial connection is retried; a connection lost mid-migration
 * fails the run (its transaction is rolled back), and the next run picks up.
 */
import type { Connection, Dialect, DriverError } from './dialect.js';
import { CancelledError, JetbaseError, errorMessage } from './errors.js';
import type { EngineContext } from './types.js';
import { sleep } from './sleep.js';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

/** What the engine needs of a dialect to read its errors: the target to name, its classifier. */
export type ErrorSource = Pick<Dialect, 'target' | 'driverErrorIs'>;

/**
 * Node's socket errors that mean "not there yet" rather than "wrong". Drivers' own codes and texts
 * (a server that is starting up, a driver's "connection lost") are the dialect's to recognise.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Dialects scrub driver errors into plain Errors (no `code`) when the message held a password, so
 * the message is checked too.
 */
const TRANSIENT_MESSAGE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b/i;

/** A connection that was up and is gone, in Node's words ("socket hang up" is its HTTP client's). */
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE']);
const LOST_MESSAGE = /\b(ECONNRESET|EPIPE|ETIMEDOUT)\b|socket hang up/i;

/** The error and its causes, at most five deep (a cycle of causes must not hang the engine). */
function* causeChain(error: unknown): Generator<DriverError> {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    yield { message: errorMessage(current), code: typeof code === 'string' ? code : undefined };
    current = (current as { cause?: unknown }).cause;
  }
}

export function isTransientConnectError(error: unknown, dialect?: ErrorSource): boolean {
  if (error instanceof JetbaseError) return false;
  if (TRANSIENT_MESSAGE.test(errorMessage(error))) return true;
  for (const link of causeChain(error)) {
    if (link.code !== undefined && TRANSIENT_CODES.has(link.code)) return true;
    if (dialect?.driverErrorIs?.(link, 'transient')) return true;
  }
  return false;
}

function isConnectionLoss(error: unknown, dialect: ErrorSource | undefined): boolean {
  for (const link of causeChain(error)) {
    if (link.code !== undefined && LOST_CODES.has(link.code)) return true;
    if (LOST_MESSAGE.test(link.message)) return true;
    if (dialect?.driverErrorIs?.(link, 'lost')) return true;
  }
  return false;
}

/**
 * An error of a command whose connection was lost, with the target named in front ("which
 * database?" is the first question when a network drops). Other errors are returned as they are.
 * A JetbaseError keeps its class and fields (a MigrationError still says what was rolled back).
 */
export function namingLostTarget<E>(error: E, source: ErrorSource): E | JetbaseError {
  if (!isConnectionLoss(error, source)) return error;
  const prefix = `Lost the connection to ${source.target}: `;
  if (error instanceof JetbaseError) {
    if (!error.message.startsWith(prefix)) error.message = `${prefix}${error.message}`;
    return error;
  }
  return new JetbaseError('DATABASE', `${prefix}${errorMessage(error)}`, { cause: error });
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
      if (!isTransientConnectError(error, dialect) || left <= 0) {
        const retried =
          attempt > 1 ? ` (gave up after ${attempt} attempts over ${(elapsed / 1000).toFixed(1)} s)` : '';
        throw new JetbaseError(
          'DATABASE',
          `Cannot connect to ${dialect.target}: ${errorMessage(error)}${retried}`,
          {
            cause: error,
            ...(isTransientConnectError(error, dialect) && budgetMs === 0
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
