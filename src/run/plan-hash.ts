/**
 * The plan hash: one value that says what an upgrade would do to which database, so a deploy can
 * prove it runs what a reviewer saw. It covers the ordered plan (for each file that would run: its
 * type, version, path and the checksum of its upgrade statements) and the target's identity
 * (dialect, host, database, schema). Credentials never enter it: a rotated password is the same
 * target. `comparePlans` names what differs between a reviewed plan and the one about to run.
 */
import { createHash } from 'node:crypto';

import { parseDatabaseUrl } from '../config/url.js';
import type { JetbaseConfig } from '../config/types.js';
import { executionOrder, type HistoryRow, type Plan } from '../engine/index.js';

export interface PlanEntry {
  readonly type: string;
  readonly version: string | null;
  readonly file: string;
  readonly checksum: string;
}

export interface TargetIdentity {
  readonly dialect: string;
  /** `host:port`, or null (SQLite). */
  readonly host: string | null;
  readonly database: string | null;
  readonly schema: string | null;
}

export interface PlanFingerprint {
  readonly hash: string;
  readonly entries: readonly PlanEntry[];
  readonly target: TargetIdentity;
  /** The latest applied version when the plan was made: explains a database that moved on. */
  readonly latestVersion: string | null;
}

/** Where the configuration points, without user name or password. */
export function targetIdentity(
  config: Pick<JetbaseConfig, 'sqlalchemyUrl' | 'postgresSchema'>,
): TargetIdentity {
  if (config.sqlalchemyUrl === null) return { dialect: 'none', host: null, database: null, schema: null };
  const url = parseDatabaseUrl(config.sqlalchemyUrl);
  const host = url.host === null ? null : url.port === null ? url.host : `${url.host}:${url.port}`;
  const schema = config.postgresSchema ?? url.query.schema ?? null;
  return { dialect: url.dialect, host: host?.toLowerCase() ?? null, database: url.database, schema };
}

export function planEntries(plan: Plan): PlanEntry[] {
  return executionOrder(plan).map(({ file }) => ({
    type: file.type,
    version: file.version,
    file: file.relativePath,
    checksum: file.checksum,
  }));
}

export function planFingerprint(plan: Plan, target: TargetIdentity): PlanFingerprint {
  const entries = planEntries(plan);
  // Canonical JSON with a fixed key order: the same plan always hashes the same, on every runner.
  const canonical = JSON.stringify({
    target: [target.dialect, target.host, target.database, target.schema],
    plan: entries.map((e) => [e.type, e.version, e.file, e.checksum]),
  });
  const hash = createHash('sha256').update(canonical).digest('hex');
  return { hash, entries, target, latestVersion: plan.latest?.version ?? null };
}

export interface PlanDifference {
  /** Files that would run now but were not in the reviewed plan (merged after the review). */
  readonly added: readonly string[];
  /** Files of the reviewed plan that will not run now and are not applied either (deleted since). */
  readonly removed: readonly string[];
  /** Files of the reviewed plan that are already applied: the database moved on since the review. */
  readonly alreadyApplied: readonly string[];
  /** Same file, different upgrade statements. */
  readonly changed: readonly string[];
  /** The order of the files that run differs. */
  readonly reordered: boolean;
  /** The reviewed plan was made against another database (a description of both), else undefined. */
  readonly target: string | undefined;
  /** The latest applied version then and now, when they differ. */
  readonly latestVersion: { readonly reviewed: string | null; readonly now: string | null } | undefined;
}

export function describeTarget(target: TargetIdentity): string {
  const where = [target.host, target.database, target.schema].filter((part) => part !== null).join(' / ');
  return where === '' ? target.dialect : `${target.dialect} ${where}`;
}

function sameTarget(a: TargetIdentity, b: TargetIdentity): boolean {
  return a.dialect === b.dialect && a.host === b.host && a.database === b.database && a.schema === b.schema;
}

/** Undefined when both are the same plan for the same database. */
export function comparePlans(
  reviewed: PlanFingerprint,
  actual: PlanFingerprint,
  history: readonly HistoryRow[],
): PlanDifference | undefined {
  if (reviewed.hash === actual.hash) return undefined;
  const before = new Map(reviewed.entries.map((e) => [e.file, e]));
  const now = new Map(actual.entries.map((e) => [e.file, e]));
  const applied = new Set(history.map((row) => row.filename));
  const baseName = (file: string) => file.slice(file.lastIndexOf('/') + 1);
  const gone = reviewed.entries.filter((e) => !now.has(e.file)).map((e) => e.file);
  const common = actual.entries.filter((e) => before.has(e.file)).map((e) => e.file);
  const reviewedCommon = reviewed.entries.filter((e) => now.has(e.file)).map((e) => e.file);
  return {
    added: actual.entries.filter((e) => !before.has(e.file)).map((e) => e.file),
    removed: gone.filter((file) => !applied.has(baseName(file))),
    alreadyApplied: gone.filter((file) => applied.has(baseName(file))),
    changed: actual.entries
      .filter((e) => before.has(e.file) && before.get(e.file)!.checksum !== e.checksum)
      .map((e) => e.file),
    reordered: common.join('\n') !== reviewedCommon.join('\n'),
    target: sameTarget(reviewed.target, actual.target)
      ? undefined
      : `reviewed against ${describeTarget(reviewed.target)}, deploying to ${describeTarget(actual.target)}`,
    latestVersion:
      reviewed.latestVersion === actual.latestVersion
        ? undefined
        : { reviewed: reviewed.latestVersion, now: actual.latestVersion },
  };
}

/** One sentence per kind of difference, for the error, the warning and the summary. */
export function differenceLines(difference: PlanDifference): string[] {
  const list = (files: readonly string[]) => files.join(', ');
  const lines: string[] = [];
  if (difference.target !== undefined) lines.push(`Another database: ${difference.target}.`);
  if (difference.added.length > 0) lines.push(`Added since the review: ${list(difference.added)}.`);
  if (difference.removed.length > 0) lines.push(`Removed since the review: ${list(difference.removed)}.`);
  if (difference.changed.length > 0) lines.push(`Changed since the review: ${list(difference.changed)}.`);
  if (difference.alreadyApplied.length > 0 || difference.latestVersion !== undefined) {
    const moved =
      difference.latestVersion === undefined
        ? ''
        : ` (latest applied version ${difference.latestVersion.reviewed ?? 'none'} then, ${difference.latestVersion.now ?? 'none'} now)`;
    const files =
      difference.alreadyApplied.length > 0 ? `; already applied: ${list(difference.alreadyApplied)}` : '';
    lines.push(`The database moved on since the review${moved}${files}.`);
  }
  if (difference.reordered) lines.push('The files run in another order than reviewed.');
  if (lines.length === 0) lines.push('The plan differs from the reviewed one.');
  return lines;
}
