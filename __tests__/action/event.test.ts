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

describe('untrustedCode: when repository code must not run', () => {
  const ACME_SHOP = {
    id: 1,
    full_name: 'acme/shop',
    name: 'shop',
    default_branch: 'main',
    owner: { login: 'acme' },
  };
  const MALLORY = { login: 'mallory', type: 'User' };
  /** The event as the runner describes it on the default branch of acme/shop. */
  const onMain = (eventName: string, data: unknown) =>
    describeEvent({
      eventName,
      payload: data,
      repository: 'acme/shop',
      sha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
      ref: 'refs/heads/main',
    });

  test('pull_request_target from a fork: the reason names the event and the database-url input', () => {
    const e = event('pull_request_target', 'pull_request_fork', 'refs/heads/main');
    expect(e.pullRequest?.fromFork).toBe(true);
    expect(e.untrustedCode?.reason).toMatch(/^pull_request_target runs with this repository's secrets/);
    expect(e.untrustedCode?.reason).toContain('pull request #13 comes from a fork (mallory/shop)');
    expect(e.untrustedCode?.reason).toContain('database-url input');
  });

  test('pull_request_target from a deleted fork (head.repo null) is untrusted too', () => {
    const data = payload('pull_request_fork') as { pull_request: { head: { repo: unknown } } };
    data.pull_request.head.repo = null;
    const e = onMain('pull_request_target', data);
    expect(e.untrustedCode?.reason).toContain('from a fork (a deleted repository)');
  });

  test('pull_request_target from the same repository, and pull_request from a fork (no secrets), may run it', () => {
    expect(event('pull_request_target', 'pull_request', 'refs/heads/main').untrustedCode).toBeUndefined();
    expect(event('pull_request', 'pull_request_fork', 'refs/pull/13/merge').untrustedCode).toBeUndefined();
    expect(event('push', 'push_main', 'refs/heads/main').untrustedCode).toBeUndefined();
    expect(event('workflow_dispatch', 'workflow_dispatch', 'refs/heads/main').untrustedCode).toBeUndefined();
  });

  /** A trimmed workflow_run payload as GitHub sends it (a run of the "CI" workflow on a pull request). */
  const workflowRun = (headRepository: unknown): unknown => ({
    action: 'completed',
    workflow_run: {
      id: 9876543210,
      name: 'CI',
      event: 'pull_request',
      status: 'completed',
      conclusion: 'success',
      head_branch: 'add-due-date',
      head_sha: '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b',
      pull_requests: [],
      repository: { id: 1, full_name: 'acme/shop', name: 'shop', owner: { login: 'acme' } },
      head_repository: headRepository,
    },
    workflow: { id: 42, name: 'CI', path: '.github/workflows/ci.yml' },
    repository: ACME_SHOP,
    sender: MALLORY,
  });
  const runEvent = (data: unknown) => onMain('workflow_run', data);

  test('workflow_run triggered from a fork', () => {
    const e = runEvent(
      workflowRun({ id: 2, full_name: 'mallory/shop', name: 'shop', owner: { login: 'mallory' } }),
    );
    expect(e.untrustedCode?.reason).toMatch(/^workflow_run runs with this repository's secrets/);
    expect(e.untrustedCode?.reason).toContain('another repository (mallory/shop)');
    expect(e.untrustedCode?.reason).toContain('database-url input');
  });

  test('workflow_run without a head repository is untrusted; from this repository (any case) it is not', () => {
    expect(runEvent(workflowRun(null)).untrustedCode?.reason).toContain('an unknown repository');
    expect(
      runEvent(workflowRun({ id: 1, full_name: 'Acme/Shop', name: 'Shop', owner: { login: 'Acme' } }))
        .untrustedCode,
    ).toBeUndefined();
  });

  /** A trimmed issue_comment payload: a comment on a pull request (issue.pull_request present) or an issue. */
  const issueComment = (onPullRequest: boolean): unknown => ({
    action: 'created',
    issue: {
      number: 13,
      title: 'Add a due date to invoices',
      state: 'open',
      user: { login: 'mallory', type: 'User' },
      ...(onPullRequest
        ? {
            pull_request: {
              url: 'https://api.github.com/repos/acme/shop/pulls/13',
              html_url: 'https://github.com/acme/shop/pull/13',
              merged_at: null,
            },
          }
        : {}),
    },
    comment: { id: 555, body: '/jetbase validate', user: { login: 'mallory', type: 'User' } },
    repository: ACME_SHOP,
    sender: MALLORY,
  });
  const commentEvent = (data: unknown) => onMain('issue_comment', data);

  test('issue_comment on a pull request is untrusted: its payload does not say where the head is', () => {
    const e = commentEvent(issueComment(true));
    expect(e.untrustedCode?.reason).toMatch(/^issue_comment runs with this repository's secrets/);
    expect(e.untrustedCode?.reason).toContain('pull request #13');
    expect(e.untrustedCode?.reason).toContain('database-url input');
  });

  test('issue_comment on an issue is not about a pull request', () => {
    expect(commentEvent(issueComment(false)).untrustedCode).toBeUndefined();
  });
});
