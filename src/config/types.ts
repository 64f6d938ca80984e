import type { DialectName } from '../engine/dialect.js';

/** A parsed SQLAlchemy-style URL: `dialect[+driver]://user:password@host:port/database?key=value`. */
export interface DatabaseUrl {
  /** The backend, `postgres` normalised to `postgresql`. */
  readonly dialect: DialectName;
  /** The SQLAlchemy driver part (`psycopg2`, `asyncpg`, `aiosqlite`, `pymysql`, `connector`), informational only. */
  readonly driver: string | null;
  /** Percent-decoded. */
  readonly username: string | null;
  /** Percent-decoded; a secret: masked in every output. */
  readonly password: string | null;
  readonly host: string | null;
  readonly port: number | null;
  /**
   * The path after the host, percent-decoded, without the leading `/`:
   * SQLite: the file path (`./x.db`, `/abs/x.db` for `sqlite:////abs/x.db`, `:memory:`);
   * PostgreSQL/MySQL: the database name; Snowflake: `database/schema`.
   */
  readonly database: string | null;
  /** Query parameters, percent-decoded, in order; repeated keys keep the last value. */
  readonly query: Readonly<Record<string, string>>;
  /** The URL exactly as given (a secret: it may hold the password). */
  readonly raw: string;
  /** The URL with the password (and Databricks token) replaced by `***`, for messages. */
  readonly redacted: string;
}

export type ConfigSource = 'flag' | 'env' | 'env.py' | 'jetbase.toml' | 'pyproject.toml' | 'default';

/** Every configuration key Jetbase knows (and the newer line's async_mode, model_paths), resolved with its source. */
export interface JetbaseConfig {
  readonly sqlalchemyUrl: string | null;
  readonly asyncMode: boolean;
  readonly postgresSchema: string | null;
  /** Accepted for env.py files written for newer Jetbase; not applicable here (no model diffing). */
  readonly modelPaths: readonly string[] | null;
  readonly skipValidation: boolean;
  readonly skipChecksumValidation: boolean;
  readonly skipFileValidation: boolean;
  readonly snowflakePrivateKey: string | null;
  readonly snowflakePrivateKeyPassword: string | null;
  readonly sources: Readonly<Record<ConfigKey, ConfigSource>>;
  /** Notes for the user, e.g. "model_paths is accepted but not applicable". */
  readonly notices: readonly string[];
  /**
   * Set when env.py needs Python but running it was forbidden (ResolveConfigArgs.forbidEnvPyExecution):
   * sqlalchemy_url then does not come from env.py, and a caller without another URL can fall back
   * to validating the migration files offline. `construct` names what needed Python.
   */
  readonly envPyNotExecuted: { readonly reason: string; readonly construct: string } | null;
}

export type ConfigKey =
  | 'sqlalchemy_url'
  | 'async_mode'
  | 'postgres_schema'
  | 'model_paths'
  | 'skip_validation'
  | 'skip_checksum_validation'
  | 'skip_file_validation'
  | 'snowflake_private_key'
  | 'snowflake_private_key_password';

/** Values given as CLI flags or action inputs (highest precedence); undefined = not given. */
export type ConfigOverrides = Partial<{
  sqlalchemy_url: string;
  async_mode: boolean;
  postgres_schema: string;
  skip_validation: boolean;
  skip_checksum_validation: boolean;
  skip_file_validation: boolean;
  snowflake_private_key: string;
  snowflake_private_key_password: string;
}>;

/** What a dialect needs besides the URL. */
export interface DialectOptions {
  /** The jetbase directory: relative SQLite paths resolve against it. */
  readonly baseDir: string;
  readonly postgresSchema?: string | null;
  readonly snowflakePrivateKey?: string | null;
  readonly snowflakePrivateKeyPassword?: string | null;
  /** SQLite only: force a driver ('better-sqlite3' | 'node:sqlite'); default picks what loads. */
  readonly sqliteDriver?: 'better-sqlite3' | 'node:sqlite';
}
