/**
 * The databases the conformance suite runs on. SQLite always; PostgreSQL and MariaDB/MySQL when
 * their URLs are set (scripts/test.sh starts throw-away servers and sets them; a developer can
 * point them at their own servers). Each test gets a fresh, empty database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl } from '../../src/config/url.js';
import type { DatabaseUrl, DialectOptions } from '../../src/config/types.js';
import { createDialect } from '../../src/dialects/registry.js';
import type { Dialect } from '../../src/engine/dialect.js';

export interface TestTarget {
  readonly name: string;
  /** A URL of a new empty database (or file). */
  fresh(): Promise<string>;
  /** Options beyond the URL (SQLite driver choice, PostgreSQL schema). */
  readonly options?: Partial<DialectOptions>;
  /** The upstream fixture's V1 in this database's DDL. */
  readonly createUsers: string;
  /** Does a failed migration's DDL roll back? */
  readonly transactionalDdl: boolean;
  /** False where there are no transactions at all (Databricks). */
  readonly supportsTransactions?: boolean;
  /** Does `connect({ readOnly: true })` give a session that refuses writes? */
  readonly readOnlySessions?: boolean;
}

export const PG_URL = process.env.JETBASE_TEST_PG_URL;
export const MYSQL_URL = process.env.JETBASE_TEST_MYSQL_URL;

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The URL with another database name in its path. */
function withDatabase(raw: string, database: string): string {
  const url = new URL(raw.replace(/^[a-z0-9+]+:/i, 'http:'));
  const scheme = raw.slice(0, raw.indexOf(':'));
  url.pathname = `/${database}`;
  return `${scheme}:${url.toString().slice('http:'.length)}`;
}

async function createDatabaseWith(adminUrl: string, statement: string): Promise<void> {
  const dialect = await createDialect(parseDatabaseUrl(adminUrl), { baseDir: process.cwd() });
  const conn = await dialect.connect();
  try {
    await conn.execute(statement);
  } finally {
    await conn.close();
  }
}

export function sqliteTarget(driver?: 'better-sqlite3' | 'node:sqlite'): TestTarget {
  return {
    name: driver ? `sqlite (${driver})` : 'sqlite',
    createUsers:
      'CREATE TABLE users (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    name VARCHAR(255) NOT NULL\n);',
    transactionalDdl: true,
    ...(driver ? { options: { sqliteDriver: driver } } : {}),
    async fresh() {
      const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-sqlite-'));
      // An absolute path: sqlite:////tmp/…/test.db (four slashes).
      return `sqlite:///${path.join(dir, 'test.db')}`;
    },
  };
}

export function postgresTarget(url: string): TestTarget {
  return {
    name: 'postgresql',
    createUsers: 'CREATE TABLE users (\n    id SERIAL PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n);',
    transactionalDdl: true,
    readOnlySessions: true,
    async fresh() {
      const name = uniqueName('jb');
      await createDatabaseWith(url, `CREATE DATABASE ${name}`);
      return withDatabase(url, name);
    },
  };
}

export function mysqlTarget(url: string): TestTarget {
  return {
    name: 'mariadb',
    createUsers:
      'CREATE TABLE users (\n    id INT AUTO_INCREMENT PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n);',
    transactionalDdl: false,
    readOnlySessions: true,
    async fresh() {
      const name = uniqueName('jb');
      await createDatabaseWith(url, `CREATE DATABASE ${name}`);
      return withDatabase(url, name);
    },
  };
}

export async function dialectFor(
  target: TestTarget,
  rawUrl: string,
  baseDir: string,
  extra: Partial<DialectOptions> = {},
): Promise<{ dialect: Dialect; url: DatabaseUrl }> {
  const url = parseDatabaseUrl(rawUrl);
  return { url, dialect: await createDialect(url, { baseDir, ...target.options, ...extra }) };
}

/** Runs a query on its own connection and returns the rows (for assertions on the real tables). */
export async function queryRows(dialect: Dialect, sql: string): Promise<Array<Record<string, unknown>>> {
  const conn = await dialect.connect();
  try {
    return await conn.query(sql);
  } finally {
    await conn.close();
  }
}
