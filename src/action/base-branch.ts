/**
 * The base branch's migration file names for offline validation: from git when the checkout has
 * the base commit, else from the GitHub contents API.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { BaseFiles } from '../run/offline.js';
import { httpStatus, type GitHubClient } from './github-client.js';

const run = promisify(execFile);

/** The API fallback lists at most this many directories (migrations/ and its sub-directories). */
const MAX_API_DIRECTORIES = 25;

/** Paths of `.sql` files under `<repoDirectory>/migrations/` at `baseSha`, relative to the jetbase directory. */
export async function baseBranchFiles(args: {
  readonly jetbaseDir: string;
  readonly repoDirectory: string;
  readonly baseSha: string | undefined;
  readonly baseRef: string;
  readonly client: GitHubClient | undefined;
  readonly owner: string;
  readonly repo: string;
}): Promise<BaseFiles> {
  const { baseSha, baseRef } = args;
  if (!baseSha) return { ok: false, reason: 'the event names no base commit' };
  const ref = baseRef || baseSha.slice(0, 12);
  try {
    // In the jetbase directory, paths are given and shown relative to it; fails when the base commit was not fetched.
    const { stdout } = await run(
      'git',
      ['ls-tree', '-r', '--name-only', '-z', baseSha, '--', 'migrations/'],
      {
        cwd: args.jetbaseDir,
        timeout: 15_000,
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    return { ok: true, ref, source: 'git', paths: stdout.split('\0').filter((p) => p.endsWith('.sql')) };
  } catch {
    // Shallow checkout (fetch-depth 1): ask the API instead.
  }
  if (args.client === undefined)
    return {
      ok: false,
      reason: 'the base commit is not in the checkout and there is no token to ask the GitHub API',
    };
  const client = args.client;
  const prefix = args.repoDirectory === '.' ? '' : `${args.repoDirectory}/`;
  const paths: string[] = [];
  const queue = [`${prefix}migrations`];
  let listed = 0;
  try {
    while (queue.length > 0) {
      if (listed >= MAX_API_DIRECTORIES) {
        return {
          ok: false,
          reason: `migrations/ on the base branch has more than ${MAX_API_DIRECTORIES} directories; fetch the base commit (actions/checkout fetch-depth: 0) to check the order`,
        };
      }
      const dir = queue.shift()!;
      listed++;
      let entries: unknown;
      try {
        ({ data: entries } = await client.rest.repos.getContent({
          owner: args.owner,
          repo: args.repo,
          path: dir,
          ref: baseSha,
        }));
      } catch (error) {
        // No migrations directory on the base branch yet: every file is new.
        if (httpStatus(error) === 404 && listed === 1) return { ok: true, ref, source: 'api', paths: [] };
        throw error;
      }
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as { type?: string; path?: string; name?: string }[]) {
        if (entry.type === 'dir' && entry.path) queue.push(entry.path);
        else if (entry.type === 'file' && entry.path?.endsWith('.sql'))
          paths.push(entry.path.slice(prefix.length));
      }
    }
  } catch (error) {
    return {
      ok: false,
      reason: `the GitHub API did not list the base branch's files (${httpStatus(error) ?? (error instanceof Error ? error.message : String(error))})`,
    };
  }
  return { ok: true, ref, source: 'api', paths };
}
