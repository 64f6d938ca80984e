/**
 * Validation without a database (a fork PR gets no secrets): what the files alone can tell. The
 * engine's discovery and a plan against an empty history give names, duplicates and parse problems
 * (unterminated statements); the base branch's file names add the two problems a merge would
 * create: a new file numbered below what the base branch already has (out of order once the base
 * is deployed), and a version the base branch already uses under another name.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import {
  buildPlan,
  compareVersions,
  hasErrors,
  parseMigrationName,
  type Discovery,
  type Plan,
  type SkipOptions,
  type ValidationProblem,
} from '../engine/index.js';
import type { OfflineReport } from '../report/run-report.js';
import { httpStatus, type GitHubClient } from './github-client.js';

const run = promisify(execFile);

/** The API fallback lists at most this many directories (migrations/ and its sub-directories). */
const MAX_API_DIRECTORIES = 25;

export type BaseFiles =
  | {
      readonly ok: true;
      readonly ref: string;
      readonly source: 'git' | 'api';
      readonly paths: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

export const NOT_CHECKED_OFFLINE: readonly string[] = [
  'Drift: whether applied migrations were changed since they ran (checksums).',
  'Missing files: applied versions whose file was deleted or renamed.',
  'Applied state: which files are pending on the database, and the current version.',
  'Whether the SQL runs: statements are parsed, not executed.',
];

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

function baseProblems(
  discovery: Discovery,
  base: Extract<BaseFiles, { ok: true }>,
  skip: SkipOptions,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const baseNames = new Set(base.paths.map((p) => path.posix.basename(p)));
  const baseVersions: { version: string; filename: string }[] = [];
  for (const filename of baseNames) {
    const name = parseMigrationName(filename);
    if (name.ok && name.type === 'VERSIONED') baseVersions.push({ version: name.version, filename });
  }
  const latest = baseVersions.reduce<{ version: string; filename: string } | undefined>(
    (max, v) => (max === undefined || compareVersions(v.version, max.version) > 0 ? v : max),
    undefined,
  );
  const skipFiles = Boolean(skip.skipValidation || skip.skipFileValidation);
  for (const file of discovery.versioned) {
    if (baseNames.has(file.filename)) continue; // already on the base branch
    const version = file.version!;
    const clash = baseVersions.find((v) => compareVersions(v.version, version) === 0);
    if (clash) {
      problems.push({
        kind: 'duplicate-version',
        severity: 'error',
        file: file.relativePath,
        version,
        message: `${file.relativePath} uses version ${version}, which ${clash.filename} on ${base.ref} already uses: after merging, the two would be duplicates. Rename this file to a version above ${latest?.version ?? version}.`,
      });
    } else if (latest !== undefined && compareVersions(version, latest.version) < 0) {
      problems.push({
        kind: 'out-of-order',
        severity: skipFiles ? 'warning' : 'error',
        file: file.relativePath,
        version,
        message: `${file.relativePath} has version ${version}, lower than ${latest.filename} (version ${latest.version}) on ${base.ref}: once ${base.ref} is deployed it would be out of order. Rename it to a version higher than ${latest.version}.`,
      });
    }
  }
  const here = new Set(
    [...discovery.versioned, ...discovery.runsAlways, ...discovery.runsOnChange].map((f) => f.filename),
  );
  for (const filename of [...baseNames].sort()) {
    if (here.has(filename) || !parseMigrationName(filename).ok) continue;
    problems.push({
      kind: 'missing-file',
      severity: 'warning',
      message: `${filename} is on ${base.ref} but not in this branch: if it was applied, deleting or renaming it makes validation fail with a missing file.`,
    });
  }
  return problems;
}

export function offlineValidation(
  discovery: Discovery,
  base: BaseFiles,
  skip: SkipOptions,
  started = performance.now(),
): OfflineReport {
  // An empty history: nothing is applied, so no drift and no missing files, only what the files say.
  const plan = buildPlan(discovery, [], skip);
  const extra = base.ok ? baseProblems(discovery, base, skip) : [];
  const problems = [...plan.problems, ...extra];
  // With the base branch known, the plan shows what this change adds, not every file of the project.
  const onBase = new Set(base.ok ? base.paths.map((p) => path.posix.basename(p)) : []);
  const added = (list: Plan['pendingVersioned']) => list.filter((p) => !onBase.has(p.file.filename));
  return {
    command: 'offline-validate',
    plan: {
      ...plan,
      pendingVersioned: added(plan.pendingVersioned),
      runsAlways: added(plan.runsAlways),
      runsOnChange: added(plan.runsOnChange),
      problems,
    },
    problems,
    ok: !hasErrors(problems),
    checkedFiles: discovery.versioned.length + discovery.runsAlways.length + discovery.runsOnChange.length,
    baseBranch: base.ok
      ? { checked: true, ref: base.ref, source: base.source, files: base.paths.length }
      : { checked: false, reason: base.reason },
    notChecked: NOT_CHECKED_OFFLINE,
    durationMs: performance.now() - started,
  };
}
