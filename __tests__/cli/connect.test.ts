/** The CLI fails fast on a database that is not there, as Python Jetbase does; --connect-timeout waits. */
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { assertBuilt, jetbase } from './run-cli.js';

beforeAll(assertBuilt);

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-connect-'));
  mkdirSync(path.join(root, 'jetbase', 'migrations'), { recursive: true });
  return root;
}

test('a closed port: one attempt, one error line, no retry lines', async () => {
  const root = project();
  const url = `postgresql://app:secret@127.0.0.1:${await closedPort()}/app`;
  const result = await jetbase(['status', '--url', url], { cwd: root });
  expect(result.code).toBe(1);
  expect(result.stderr).not.toContain('Database not reachable yet');
  expect(result.stderr).toMatch(
    /^Error: Cannot connect to postgresql:\/\/app(:\*\*\*)?@127\.0\.0\.1:\d+\/app: .*ECONNREFUSED/m,
  );
  expect(result.stderr).toContain('--connect-timeout');
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
});

test('with --connect-timeout it retries, a line per attempt when stderr is not a terminal', async () => {
  const root = project();
  const url = `postgresql://app:secret@127.0.0.1:${await closedPort()}/app`;
  const result = await jetbase(['status', '--url', url, '--connect-timeout', '1'], { cwd: root });
  expect(result.code).toBe(1);
  const retries = result.stderr.split('\n').filter((line) => line.startsWith('Database not reachable yet'));
  expect(retries.length).toBeGreaterThanOrEqual(2);
  expect(result.stderr).toMatch(/gave up after \d+ attempts/);
});
