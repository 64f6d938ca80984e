/**
 * The one door from a parsed URL to a dialect. Each dialect module is imported only when its URL
 * asks for it, so a SQLite run never loads pg or mysql2 (nor their drivers' start-up cost).
 */

import type { Dialect } from '../engine/dialect.js';
import { JetbaseError } from '../engine/errors.js';
import type { DatabaseUrl, DialectOptions } from '../config/types.js';

export async function createDialect(url: DatabaseUrl, options: DialectOptions): Promise<Dialect> {
  switch (url.dialect) {
    case 'sqlite': {
      const { createSqliteDialect } = await import('./sqlite/index.js');
      return createSqliteDialect(url, options);
    }
    case 'postgresql': {
      const { createPostgresqlDialect } = await import('./postgresql/index.js');
      const { postgresqlLockHolder } = await import('./postgresql/lock-holder.js');
      // Lock takeover (engine/lock.ts); MySQL and SQLite set theirs in their own modules.
      return { ...(await createPostgresqlDialect(url, options)), lockHolder: postgresqlLockHolder };
    }
    case 'mysql': {
      const { createMysqlDialect } = await import('./mysql/index.js');
      return createMysqlDialect(url, options);
    }
    case 'databricks': {
      const { createDatabricksDialect } = await import('./databricks/index.js');
      return createDatabricksDialect(url, options);
    }
    case 'snowflake': {
      const { createSnowflakeDialect } = await import('./snowflake/index.js');
      return createSnowflakeDialect(url, options);
    }
    default: {
      const unknown: never = url.dialect;
      throw new JetbaseError('UNSUPPORTED_DATABASE', `Unsupported database: ${String(unknown)}.`);
    }
  }
}
