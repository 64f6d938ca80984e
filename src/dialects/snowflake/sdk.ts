/**
 * The few parts of snowflake-sdk this dialect uses, behind small typed helpers: the SDK's callback
 * API and loose types (`any` rows, errors built in its own realm) stop here.
 *
 * Loading the SDK has side effects that a migration tool must not have, so it is loaded once, on
 * demand, after the environment switches below are set:
 * - SNOWFLAKE_DISABLE_PLATFORM_DETECTION: at load time the SDK would probe cloud metadata
 *   addresses (169.254.169.254, metadata.google.internal) and AWS STS to report the platform.
 * - SNOWFLAKE_DISABLE_MINICORE: skips a native add-on whose only use is a version string in
 *   login telemetry (and whose absence in a bundled build would be reported as an error event).
 * - SF_TELEMETRY_DISABLE_CONNECTION_SHAPE: no extra telemetry request after each login.
 * Each is set only when the user has not set it (`??=`). Logging is silenced with a no-op custom
 * logger: by default the SDK writes a `snowflake.log` file into the working directory.
 */
import type * as SnowflakeSdkModule from 'snowflake-sdk';
import type { Column, Connection as SdkConnection, ConnectionOptions, RowStatement } from 'snowflake-sdk';

import type { SqlValue } from '../../engine/dialect.js';
import { JetbaseError } from '../../engine/errors.js';
import { asError } from '../common.js';

export type { ConnectionOptions };

type SnowflakeSdk = typeof SnowflakeSdkModule;

const SILENT_LOGGER = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

let sdkLoading: Promise<SnowflakeSdk> | undefined;

async function importSdk(): Promise<SnowflakeSdk> {
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
  process.env.SNOWFLAKE_DISABLE_MINICORE ??= 'true';
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= 'true';
  let sdk: SnowflakeSdk;
  try {
    const loaded = (await import('snowflake-sdk')) as SnowflakeSdk & { default?: SnowflakeSdk };
    sdk = loaded.default ?? loaded;
  } catch (error) {
    throw new JetbaseError(
      'DRIVER_MISSING',
      `The Snowflake driver (snowflake-sdk) could not be loaded: ${asError(error).message}`,
      {
        hint: "Reinstall jetbase-action's dependencies (npm ci).",
      },
    );
  }
  sdk.configure({ logLevel: 'OFF', customLogger: SILENT_LOGGER, additionalLogToConsole: false });
  return sdk;
}

/** The SDK, loaded and configured once per process. */
export function loadSnowflakeSdk(): Promise<SnowflakeSdk> {
  sdkLoading ??= importSdk().catch((error: unknown) => {
    sdkLoading = undefined;
    throw error;
  });
  return sdkLoading;
}

/**
 * Keeps the process alive while the SDK works. Between login retries the SDK can wait on nothing
 * that holds the event loop, and Node would then exit mid-connect with status 0 (seen with 3.3).
 */
async function holdingEventLoop<T>(work: Promise<T>): Promise<T> {
  const hold = setInterval(() => undefined, 60_000);
  try {
    return await work;
  } finally {
    clearInterval(hold);
  }
}

/** What this dialect reads from an SDK error; the SDK builds them in its own realm. */
export interface SnowflakeFailure extends Error {
  /** Snowflake's error code, e.g. '390100' (login) or '002003' (SQL); a number for client errors. */
  readonly code?: string;
  readonly sqlState?: string;
}

export function asSnowflakeFailure(error: unknown): SnowflakeFailure {
  const plain = asError(error) as Error & { code?: unknown; sqlState?: unknown };
  const { code, sqlState } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    sqlState?: unknown;
  };
  const failure = new Error(plain.message) as Error & { code?: string; sqlState?: string };
  if (typeof code === 'string' || typeof code === 'number') failure.code = String(code);
  if (typeof sqlState === 'string') failure.sqlState = sqlState;
  return failure;
}

export function openConnection(sdk: SnowflakeSdk, options: ConnectionOptions): Promise<SdkConnection> {
  const connection = sdk.createConnection(options);
  return holdingEventLoop(
    new Promise<SdkConnection>((resolve, reject) => {
      connection.connect((error) => (error ? reject(asSnowflakeFailure(error)) : resolve(connection)));
    }),
  );
}

export function closeConnection(connection: SdkConnection): Promise<void> {
  return holdingEventLoop(
    new Promise<void>((resolve, reject) => {
      connection.destroy((error) => (error ? reject(asSnowflakeFailure(error)) : resolve()));
    }),
  );
}

/** How a result column should come back: as the SDK gives it, or as text. */
type ColumnKind = 'timestamp_ntz' | 'datetime' | 'plain';

export interface StatementResult {
  /** Rows as objects keyed by the column names Snowflake returned (upper-case for unquoted names). */
  readonly rows: readonly Record<string, unknown>[];
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[];
  /** The SDK's count for INSERT/UPDATE/DELETE/MERGE (summed from the DML result row); -1 or undefined otherwise. */
  readonly numUpdatedRows: number | undefined;
}

function columnKind(column: Column): ColumnKind {
  if (column.isTimestampNtz()) return 'timestamp_ntz';
  if (column.isTimestamp() || column.isDate() || column.isTime()) return 'datetime';
  return 'plain';
}

/**
 * One statement; `?` placeholders bind `binds` in order (Snowflake binds `?` natively). With
 * `statementCount` above 1 the text is that many statements, sent as one multi-statement request
 * (MULTI_STATEMENT_COUNT; no binds); the SDK then reads the first statement's result with a GET,
 * and that result is what comes back.
 */
export function executeStatement(
  connection: SdkConnection,
  sqlText: string,
  binds: readonly SqlValue[] | undefined,
  statementCount = 1,
): Promise<StatementResult> {
  return holdingEventLoop(
    new Promise<StatementResult>((resolve, reject) => {
      connection.execute({
        sqlText,
        ...(binds && binds.length > 0 ? { binds: [...binds] } : {}),
        ...(statementCount > 1 ? { parameters: { MULTI_STATEMENT_COUNT: statementCount } } : {}),
        complete: (error, statement: RowStatement, rows?: unknown[]) => {
          if (error) {
            reject(asSnowflakeFailure(error));
            return;
          }
          resolve({
            rows: (rows ?? []) as Record<string, unknown>[],
            columns: (statement.getColumns() ?? []).map((column) => ({
              name: column.getName(),
              kind: columnKind(column),
            })),
            numUpdatedRows: statement.getNumUpdatedRows(),
          });
        },
      });
    }),
  );
}

/** The SDK's Date for TIMESTAMP/DATE columns carries the exact value beside the (ms) Date. */
interface SfDate {
  getEpochSeconds(): number;
  getNanoSeconds(): number;
}

function isSfDate(value: unknown): value is SfDate {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<SfDate>).getEpochSeconds === 'function' &&
    typeof (value as Partial<SfDate>).getNanoSeconds === 'function'
  );
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * TIMESTAMP_NTZ as `YYYY-MM-DD HH:MM:SS.ffffff`: the stored wall-clock time, always six fraction
 * digits, so the text sorts as the timestamps do and matches PostgreSQL's and MySQL's text form.
 * Built from the exact epoch seconds + nanoseconds, not from the session's output format, so no
 * ALTER SESSION is needed and sub-millisecond digits are not lost (a JS Date keeps only ms).
 */
export function timestampNtzText(value: SfDate): string {
  const date = new Date(value.getEpochSeconds() * 1000);
  const micros = Math.floor(value.getNanoSeconds() / 1000);
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
    `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(micros, 6)}`
  );
}

/** A result value as the engine wants it: date/time values as text, never a JS Date. */
export function plainValue(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined || kind === 'plain') return value;
  if (kind === 'timestamp_ntz' && isSfDate(value)) return timestampNtzText(value);
  // TIMESTAMP_LTZ/TZ, DATE, TIME: the SDK's text in the session's output format.
  const { toJSON } = value as { toJSON?: () => unknown };
  return typeof toJSON === 'function' ? String(toJSON.call(value)) : value;
}
