/**
 * What triggered the run, from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH, and the
 * command `auto` means for it: read-only validation for changes under review, upgrade for what
 * reached the default branch. Also whether the checked-out code may be a fork's while the run has
 * this repository's secrets, in which case repository code (env.py) must not be executed.
 */
import { readFileSync } from 'node:fs';

import type { CommandInput, ResolvedCommand } from './constants.js';

export interface PullRequestInfo {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef: string;
  /** The head lives in another repository: secrets are absent and the token is read-only. */
  readonly fromFork: boolean;
}

/** Why repository code must not be executed in this run. */
export interface UntrustedCode {
  /** One sentence for the log: the event, why its code is not trusted, and how to pass the database URL instead. */
  readonly reason: string;
}

export interface RunEvent {
  readonly name: string;
  readonly owner: string;
  readonly repo: string;
  /** GITHUB_SHA: for a pull_request, the test merge commit. */
  readonly sha: string;
  readonly ref: string;
  readonly defaultBranch: string | undefined;
  readonly onDefaultBranch: boolean;
  readonly pullRequest: PullRequestInfo | undefined;
  /** The commit whose migration files are "already on the base branch", for the offline order check. */
  readonly baseSha: string | undefined;
  /** The commit the changed files are linked at (PR head, else GITHUB_SHA). */
  readonly linkSha: string;
  /**
   * Set when the run has this repository's secrets but its code may come from a fork:
   * `pull_request_target` for a fork's pull request, `workflow_run` triggered from another
   * repository, `issue_comment` on a pull request (its payload does not say where the head is).
   */
  readonly untrustedCode: UntrustedCode | undefined;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface EventSource {
  readonly eventName: string;
  readonly payload: unknown;
  readonly repository: string;
  readonly sha: string;
  readonly ref: string;
}

/** Pure: the event as this action needs it. */
export function describeEvent(source: EventSource): RunEvent {
  const payload = object(source.payload) ?? {};
  const [owner = '', repo = ''] = source.repository.split('/');
  const repository = object(payload.repository);
  const defaultBranch = string(repository?.default_branch);
  const branch = source.ref.startsWith('refs/heads/') ? source.ref.slice('refs/heads/'.length) : undefined;

  let pullRequest: PullRequestInfo | undefined;
  const pr = object(payload.pull_request);
  if (pr && (source.eventName === 'pull_request' || source.eventName === 'pull_request_target')) {
    const head = object(pr.head);
    const base = object(pr.base);
    const headRepo = string(object(head?.repo)?.full_name);
    const baseRepo = string(object(base?.repo)?.full_name) ?? source.repository;
    pullRequest = {
      number: typeof pr.number === 'number' ? pr.number : Number(payload.number),
      headSha: string(head?.sha) ?? source.sha,
      baseSha: string(base?.sha) ?? '',
      baseRef: string(base?.ref) ?? '',
      // A deleted fork has head.repo null: still a fork.
      fromFork: headRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
    };
  }
  const mergeGroup = object(payload.merge_group);
  const baseSha = pullRequest?.baseSha || string(mergeGroup?.base_sha) || undefined;

  return {
    name: source.eventName,
    owner,
    repo,
    sha: source.sha,
    ref: source.ref,
    defaultBranch,
    onDefaultBranch: branch !== undefined && branch === defaultBranch,
    pullRequest,
    baseSha,
    linkSha: pullRequest?.headSha ?? string(mergeGroup?.head_sha) ?? source.sha,
    untrustedCode: untrustedCodeOf(source, payload, pullRequest),
  };
}

const PASS_THE_URL =
  'Pass the database URL through the database-url input instead; env.py is then only read for its literal assignments.';

function untrustedCodeOf(
  source: EventSource,
  payload: Json,
  pullRequest: PullRequestInfo | undefined,
): UntrustedCode | undefined {
  const repository = source.repository || string(object(payload.repository)?.full_name) || '';
  if (source.eventName === 'pull_request_target' && pullRequest?.fromFork) {
    const head = string(object(object(object(payload.pull_request)?.head)?.repo)?.full_name);
    return {
      reason:
        `pull_request_target runs with this repository's secrets, and pull request #${pullRequest.number} comes ` +
        `from a fork (${head ?? 'a deleted repository'}): its env.py is not executed. ${PASS_THE_URL}`,
    };
  }
  if (source.eventName === 'workflow_run') {
    const run = object(payload.workflow_run);
    const head = string(object(run?.head_repository)?.full_name);
    if (head === undefined || head.toLowerCase() !== repository.toLowerCase()) {
      return {
        reason:
          `workflow_run runs with this repository's secrets, and the run that triggered it comes from ` +
          `${head === undefined ? 'an unknown repository' : `another repository (${head})`}: its env.py is not executed. ${PASS_THE_URL}`,
      };
    }
  }
  if (source.eventName === 'issue_comment') {
    const issue = object(payload.issue);
    if (object(issue?.pull_request) !== undefined) {
      const number = typeof issue?.number === 'number' ? ` #${issue.number}` : '';
      return {
        reason:
          `issue_comment runs with this repository's secrets, and its payload does not say whether pull request${number} ` +
          `comes from a fork: its env.py is not executed. ${PASS_THE_URL}`,
      };
    }
  }
  return undefined;
}

/** GITHUB_* variables and the payload file, as the runner sets them. */
export function readEvent(env: NodeJS.ProcessEnv = process.env): RunEvent {
  const eventPath = env.GITHUB_EVENT_PATH;
  let payload: unknown = {};
  if (eventPath) {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8'));
    } catch {
      payload = {};
    }
  }
  return describeEvent({
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    repository: env.GITHUB_REPOSITORY ?? '',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
  });
}

/**
 * `auto`: pull_request / merge_group → validate (read-only: a change under review never writes); push or
 * workflow_dispatch on the default branch → upgrade; anything else → validate. An explicit
 * command always wins.
 */
export function resolveCommand(input: CommandInput, event: RunEvent): ResolvedCommand {
  if (input !== 'auto') return input;
  if (event.name === 'pull_request' || event.name === 'pull_request_target' || event.name === 'merge_group')
    return 'validate';
  if ((event.name === 'push' || event.name === 'workflow_dispatch') && event.onDefaultBranch)
    return 'upgrade';
  return 'validate';
}
