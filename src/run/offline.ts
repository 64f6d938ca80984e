/**
 * Validation without a database (a fork PR gets no secrets): what the files alone can tell. The
 * engine's discovery and a plan against an empty history give names, duplicates and parse problems
 * (unterminated statements); the base branch's file names add the two problems a merge would
 * create: a new file numbered below what the base branch already has (out of order once the base
 * is deployed), and a version the base branch already uses under another name.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';

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
import type { OfflineReason } from './types.js';

/** The base branch's migration files (paths relative to the jetbase directory), or why they are unknown. */
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

/** Validation without a database: names, duplicates, parsing, order against the base branch. */
export interface OfflineReport {
  readonly command: 'offline-validate';
  /** Why there was no database to validate against. */
  readonly reason: OfflineReason;
  /** The plan against an empty history, narrowed to the files the base branch does not have when it is known. */
  readonly plan: Plan;
  readonly problems: readonly ValidationProblem[];
  readonly ok: boolean;
  /** Migration files found (all of them, not only the new ones the plan lists). */
  readonly checkedFiles: number;
  /** Where the base branch's file names came from, or why they could not be read. */
  readonly baseBranch:
    | { readonly checked: true; readonly ref: string; readonly source: 'git' | 'api'; readonly files: number }
    | { readonly checked: false; readonly reason: string };
  /** What an offline run cannot know, said plainly. */
  readonly notChecked: readonly string[];
  readonly durationMs: number;
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
  reason: OfflineReason,
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
    reason,
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
