/**
 * The run layer's `verify` command: the disposable database's URL is checked, its secrets are
 * registered for redaction like the target's, it is refused when it names the target's own
 * database, and the chain is replayed on it through its own dialect and connection.
 */
import type { DatabaseUrl } from '../config/types.js';
import { parseDatabaseUrl } from '../config/url.js';
import { createDialect } from '../dialects/registry.js';
import { sqliteFilePath } from '../dialects/sqlite/index.js';
import { JetbaseError } from '../engine/errors.js';
import { newProcessId } from '../engine/lock.js';
import type { EngineContext } from '../engine/types.js';
import { registerUrlSecrets } from '../run/target.js';
import type { RunRequest, Target } from '../run/types.js';
import type { VerifyReport } from './types.js';
import { verifyChain } from './verify.js';

/** The verify URL parsed, its secrets registered before anything can print it. */
export function verifyUrlOf(raw: string): DatabaseUrl {
  const url = parseDatabaseUrl(raw.trim());
  registerUrlSecrets(url);
  return url;
}

const DEFAULT_PORTS: Readonly<Partial<Record<DatabaseUrl['dialect'], number>>> = {
  postgresql: 5432,
  mysql: 3306,
  databricks: 443,
};

/** Do two URLs name the same database? Only a fresh in-memory SQLite database is never shared. */
export function sameDatabase(a: DatabaseUrl, b: DatabaseUrl, baseDir: string): boolean {
  if (a.raw.trim() === b.raw.trim()) return true;
  if (a.dialect !== b.dialect) return false;
  if (a.dialect === 'sqlite') {
    const file = sqliteFilePath(a, baseDir);
    return file !== ':memory:' && file === sqliteFilePath(b, baseDir);
  }
  const port = (url: DatabaseUrl) => url.port ?? DEFAULT_PORTS[url.dialect] ?? null;
  const place = (url: DatabaseUrl) =>
    [
      (url.host ?? '').toLowerCase(),
      port(url),
      url.database ?? '',
      url.query.catalog ?? '',
      url.query.schema ?? '',
    ].join('\u0000');
  return place(a) === place(b);
}

/** `target` is undefined when the configuration could not be read (env.py lacks a variable). */
export async function runVerify(
  request: RunRequest,
  target: Target | undefined,
  verifyUrl: DatabaseUrl,
): Promise<VerifyReport> {
  const config = target?.config;
  const jetbaseDir = target?.jetbaseDir ?? request.jetbaseDir;
  if (config !== undefined && config.sqlalchemyUrl !== null) {
    const targetUrl = parseDatabaseUrl(config.sqlalchemyUrl);
    if (sameDatabase(verifyUrl, targetUrl, jetbaseDir)) {
      throw new JetbaseError(
        'NOT_DISPOSABLE',
        `The verify URL names the target database ${targetUrl.redacted}: verify writes and drops everything in the database it is given.`,
        { hint: 'Give verify a separate, empty, throw-away database.' },
      );
    }
  }
  // The target's schema setting is not carried over: a fresh server has only its default schema.
  const dialect = await createDialect(verifyUrl, {
    baseDir: jetbaseDir,
    snowflakePrivateKey: config?.snowflakePrivateKey ?? null,
    snowflakePrivateKeyPassword: config?.snowflakePrivateKeyPassword ?? null,
  });
  const ctx: EngineContext = {
    jetbaseDir,
    dialect,
    processId: request.processId ?? newProcessId(),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    ...(request.connectRetryMs === undefined ? {} : { connectRetryMs: request.connectRetryMs }),
    ...(request.onProgress === undefined ? {} : { onEvent: request.onProgress }),
  };
  return verifyChain(ctx);
}
