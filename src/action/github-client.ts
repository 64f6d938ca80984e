/**
 * The REST client for comments and the base-branch listing: @actions/github's Octokit (proxy
 * aware, GITHUB_API_URL) with retries for 5xx and throttling that honours Retry-After on rate
 * limits, secondary ones included (GitHub answers those with 403 + Retry-After), within bounds so a
 * PR comment never holds a deployment job for minutes.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

import { redact } from './secrets.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Retry a rate-limited request at most this often… */
const MAX_RATE_LIMIT_RETRIES = 2;
/** …and only when GitHub asks to wait no longer than this (seconds). */
const MAX_RETRY_AFTER_SECONDS = 60;

function onLimit(kind: string) {
  return (
    retryAfter: number,
    options: { method?: string; url?: string },
    _octokit: unknown,
    retryCount: number,
  ): boolean => {
    const request = `${options.method ?? 'GET'} ${options.url ?? ''}`;
    if (retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS) {
      core.info(`GitHub ${kind} rate limit on ${request}: retrying in ${retryAfter} s.`);
      return true;
    }
    core.warning(`GitHub ${kind} rate limit on ${request}: giving up (asked to wait ${retryAfter} s).`);
    return false;
  };
}

export function createGitHubClient(token: string, env: NodeJS.ProcessEnv = process.env): GitHubClient {
  return getOctokit(
    token,
    {
      // @actions/github reads GITHUB_API_URL once, when it loads; the run's environment decides here.
      baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
      retry: { retries: 2 },
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => core.debug(redact(`octokit: ${message}`)),
        error: (message: string) => core.debug(redact(`octokit: ${message}`)),
      },
    },
    retry,
    throttling,
  );
}

/** The HTTP status of an Octokit RequestError, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
