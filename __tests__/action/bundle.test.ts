/**
 * The shape of the bundle: drivers live in chunks loaded only for their URL, and nothing outside
 * dist/ is imported at load time (the runner has no node_modules). better-sqlite3 stays external
 * and is imported lazily; on node24 the SQLite dialect uses the built-in node:sqlite.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './run-action.js';

const DIST = path.join(REPO_ROOT, 'dist');

const describeDist = existsSync(path.join(DIST, 'index.js')) ? describe : describe.skip;

describeDist('dist/', () => {
  const index = readFileSync(path.join(DIST, 'index.js'), 'utf8');
  const chunks = readdirSync(DIST).filter((f) => /^\d+\.index\.js$/.test(f));
  const chunk = (marker: string): string | undefined =>
    chunks.find((f) => readFileSync(path.join(DIST, f), 'utf8').includes(marker));

  test('index.js has no static import of a package (only node built-ins)', () => {
    const specifiers = [...index.matchAll(/(?:^|;)import\s*(?:[^'"]*?from\s*)?["']([^"']+)["']/g)].map(
      (m) => m[1],
    );
    expect(
      specifiers.filter(
        (s) => !s!.startsWith('node:') && !['module', 'fs', 'path', 'url', 'os', 'crypto'].includes(s!),
      ),
    ).toEqual([]);
  });

  test('pg and mysql2 are in chunks of their own, not in index.js', () => {
    for (const marker of ['pg-pool', 'mysql2']) {
      expect(index).not.toContain(marker);
      expect(chunk(marker)).toBeDefined();
    }
  });

  test('better-sqlite3 is not bundled and is only imported lazily', () => {
    expect(readdirSync(DIST).some((f) => f.includes('better_sqlite3'))).toBe(false);
    for (const f of ['index.js', ...chunks]) {
      expect(readFileSync(path.join(DIST, f), 'utf8')).not.toMatch(/from\s*["']better-sqlite3["']/);
    }
  });
});
