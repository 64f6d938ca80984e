import { existsSync } from 'node:fs';
import path from 'node:path';

import { run } from '../../src/run/index.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { sqliteTarget } from '../helpers/databases.js';
import { makeProject } from '../helpers/project.js';
import { describeVerifyConformance, goodChain } from './conformance.js';

const target = sqliteTarget();
describeVerifyConformance(target);

test('verify runs on sqlite:///:memory:, one connection for all three passes', async () => {
  const project = makeProject(goodChain(target.createUsers));
  try {
    const { outcome } = await run({
      jetbaseDir: project.jetbaseDir,
      command: { name: 'verify', url: 'sqlite:///:memory:' },
      env: {},
      overrides: {},
    });
    expect(outcome.command).toBe('verify');
    expect((outcome as VerifyReport).ok).toBe(true);
    expect((outcome as VerifyReport).passes).toEqual(['upgrade', 'rollback', 'upgrade-again']);
  } finally {
    project.cleanup();
  }
});

describe('verify refuses the target database itself', () => {
  const project = makeProject(goodChain(target.createUsers));
  afterAll(() => project.cleanup());
  const verifyWith = (targetUrl: string, verifyUrl: string) =>
    run({
      jetbaseDir: project.jetbaseDir,
      command: { name: 'verify', url: verifyUrl },
      env: {},
      overrides: { sqlalchemy_url: targetUrl },
    });

  test.each([
    ['the same text', 'sqlite:///app.db', 'sqlite:///app.db'],
    ['the same file by another path', 'sqlite:///app.db', `sqlite:///${project.jetbaseDir}/app.db`],
  ])('%s', async (_title, targetUrl, verifyUrl) => {
    const { outcome } = await verifyWith(targetUrl, verifyUrl);
    expect(outcome.command).toBe('error');
    expect(outcome).toMatchObject({ code: 'NOT_DISPOSABLE' });
    expect((outcome as { message: string }).message).toContain('names the target database');
    expect(existsSync(path.join(project.jetbaseDir, 'app.db'))).toBe(false);
  });

  test('a server database by another spelling of its default port; its password never shows', async () => {
    const { outcome } = await verifyWith(
      'postgresql://app:s3cret-target@db.internal/prod',
      'postgresql://ci:s3cret-verify@DB.internal:5432/prod',
    );
    expect(outcome).toMatchObject({ command: 'error', code: 'NOT_DISPOSABLE' });
    expect(JSON.stringify(outcome)).not.toMatch(/s3cret/);
  });

  test('registers the verify URL secrets with the rest', async () => {
    let secrets: readonly string[] = [];
    await run({
      jetbaseDir: project.jetbaseDir,
      command: { name: 'verify', url: 'postgresql://ci:pw-of-verify@127.0.0.1:1/x' },
      env: {},
      overrides: {},
      onSecrets: (registered) => (secrets = registered),
    });
    expect(secrets).toContain('pw-of-verify');
  });
});
