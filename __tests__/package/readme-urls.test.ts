/**
 * The README's table of database URLs (between the readme-urls markers) is accurate: every URL in
 * it is accepted by the URL parser as the database its row names, with the credentials the row
 * says (none for Snowflake key-pair authentication), and every database has its row.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseDatabaseUrl } from '../../src/config/url.js';
import type { DatabaseUrl } from '../../src/config/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const start = README.indexOf('<!-- readme-urls:start');
const end = README.indexOf('<!-- readme-urls:end -->');

interface Row {
  database: string;
  sync: string[];
  async: string[];
}

const urlsIn = (cell: string) =>
  [...cell.matchAll(/`([^`]*:\/\/[^`]*)`/g)].map((match) => match[1] as string);

const rows: Row[] = README.slice(start, end)
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| Database') && !line.startsWith('| ---'))
  .map((line) => {
    const [database = '', sync = '', async = ''] = line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
    return { database, sync: urlsIn(sync), async: urlsIn(async) };
  });

const DIALECTS: Record<string, DatabaseUrl['dialect']> = {
  SQLite: 'sqlite',
  PostgreSQL: 'postgresql',
  MySQL: 'mysql',
  'Snowflake, password': 'snowflake',
  'Snowflake, key pair': 'snowflake',
  Databricks: 'databricks',
};

describe('the README table of database URLs', () => {
  it('has one row per database and authentication, each with a sync URL', () => {
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    expect(rows.map((row) => row.database)).toEqual(Object.keys(DIALECTS));
    for (const row of rows) expect(row.sync.length).toBeGreaterThan(0);
  });

  it('gives async forms for PostgreSQL and SQLite only', () => {
    const withAsync = rows.filter((row) => row.async.length > 0).map((row) => row.database);
    expect(withAsync).toEqual(['SQLite', 'PostgreSQL']);
    expect(rows.flatMap((row) => row.async).map((url) => parseDatabaseUrl(url).driver)).toEqual([
      'aiosqlite',
      'asyncpg',
    ]);
  });

  it.each(rows.flatMap((row) => [...row.sync, ...row.async].map((url) => [row.database, url] as const)))(
    '%s: %s parses as that database',
    (database, url) => {
      const parsed = parseDatabaseUrl(url);
      expect(parsed.dialect).toBe(DIALECTS[database]);
      if (database === 'Snowflake, key pair') expect(parsed.password).toBeNull();
      if (['PostgreSQL', 'MySQL', 'Snowflake, password', 'Databricks'].includes(database)) {
        expect(parsed.password).not.toBeNull();
        expect(parsed.redacted).not.toContain(parsed.password as string);
      }
    },
  );
});
