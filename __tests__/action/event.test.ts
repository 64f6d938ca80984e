import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describeEvent, resolveCommand } from '../../src/action/event.js';

const EVENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/action/events');
const payload = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(EVENTS, `${name}.json`), 'utf8'));

const event = (eventName: string, file: string, ref: string) =>
  describeEvent({
    eventName,
    payload: payload(file),
    repository: 'acme/shop',
    sha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    ref,
  });

test('pull_request from the same repository', () => {
  const e = event('pull_request', 'pull_request', 'refs/pull/12/merge');
  expect(e.pullRequest).toEqual({
    number: 12,
    headSha: '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b',
    baseSha: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
    baseRef: 'main',
    fromFork: false,
  });
  expect(e.linkSha).toBe('4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b');
  expect(resolveCommand('auto', e)).toBe('validate');
});

test('pull_request from a fork', () => {
  const e = event('pull_request', 'pull_request_fork', 'refs/pull/13/merge');
  expect(e.pullRequest?.fromFork).toBe(true);
  expect(resolveCommand('auto', e)).toBe('validate');
});

test('a deleted fork (head.repo null) counts as a fork', () => {
  const data = payload('pull_request_fork') as { pull_request: { head: { repo: unknown } } };
  data.pull_request.head.repo = null;
  const e = describeEvent({
    eventName: 'pull_request',
    payload: data,
    repository: 'acme/shop',
    sha: 'x',
    ref: 'refs/pull/13/merge',
  });
  expect(e.pullRequest?.fromFork).toBe(true);
});

test('push and workflow_dispatch on the default branch upgrade; elsewhere they validate', () => {
  expect(resolveCommand('auto', event('push', 'push_main', 'refs/heads/main'))).toBe('upgrade');
  expect(resolveCommand('auto', event('workflow_dispatch', 'workflow_dispatch', 'refs/heads/main'))).toBe(
    'upgrade',
  );
  expect(resolveCommand('auto', event('push', 'push_main', 'refs/heads/feature'))).toBe('validate');
  expect(resolveCommand('auto', event('workflow_dispatch', 'workflow_dispatch', 'refs/tags/v1'))).toBe(
    'validate',
  );
  expect(resolveCommand('auto', event('schedule', 'workflow_dispatch', 'refs/heads/main'))).toBe('validate');
});

test('merge_group validates against its base commit', () => {
  const e = describeEvent({
    eventName: 'merge_group',
    payload: {
      merge_group: {
        head_sha: 'aaaa',
        head_ref: 'refs/heads/gh-readonly-queue/main/pr-12-9a8b',
        base_sha: 'bbbb',
        base_ref: 'refs/heads/main',
      },
      repository: { default_branch: 'main' },
    },
    repository: 'acme/shop',
    sha: 'aaaa',
    ref: 'refs/heads/gh-readonly-queue/main/pr-12-9a8b',
  });
  expect(resolveCommand('auto', e)).toBe('validate');
  expect(e.baseSha).toBe('bbbb');
  expect(e.linkSha).toBe('aaaa');
});

test('an explicit command wins', () => {
  expect(resolveCommand('upgrade', event('pull_request', 'pull_request', 'refs/pull/12/merge'))).toBe(
    'upgrade',
  );
  expect(resolveCommand('status', event('push', 'push_main', 'refs/heads/main'))).toBe('status');
});
