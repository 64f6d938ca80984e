/**
 * Audits of the applied files against the history (validate-checksums, validate-files) and their
 * repairs (fix-checksums, fix-files, fix). Audits are read-only; a repair takes the lock and
 * re-checks under it before it changes a row.
 */
import { performance } from 'node:perf_hooks';

import { discoverMigrations, type Discovery } from './discovery.js';
import { ValidationError } from './errors.js';
import {
  deleteRepeatableRow,
  deleteVersionRow,
  readHistory,
  readHistoryIfExists,
  updateVersionChecksum,
  type HistoryRow,
} from './history.js';
import { buildPlan, type Plan, type SkipOptions } from './plan.js';
import { assertValidNames } from './migrate.js';
import { ensureTables, withConnection, withLock } from './session.js';
import type { ChecksumMismatch, ChecksumsReport, EngineContext, FilesReport, FixReport } from './types.js';

function fileValidationErrors(plan: Plan): void {
  const blocking = plan.problems.filter((p) => p.severity === 'error' && p.kind !== 'checksum-mismatch');
  if (blocking.length > 0)
    throw new ValidationError(plan.problems.filter((p) => p.kind !== 'checksum-mismatch'));
}

export async function validateChecksums(
  ctx: EngineContext,
  options: SkipOptions & { fix?: boolean } = {},
): Promise<ChecksumsReport> {
  const started = performance.now();
  const discovery = discoverMigrations(ctx.jetbaseDir);
  const fix = Boolean(options.fix);
  const { dialect } = ctx;
  return withConnection(ctx, { readOnly: !fix }, async (conn) => {
    const report = (fields: Partial<ChecksumsReport>): ChecksumsReport => ({
      command: 'validate-checksums',
      target: dialect.target,
      fix,
      nothingApplied: false,
      mismatches: [],
      repaired: [],
      ...fields,
      durationMs: performance.now() - started,
    });
    // Python Jetbase fails with "no such table" on a fresh database; nothing applied is the truthful answer.
    const { rows } = await readHistoryIfExists(conn, dialect.sql);
    if (!rows.some((r) => r.migrationType === 'VERSIONED')) return report({ nothingApplied: true });
    const mismatchesOf = (history: readonly HistoryRow[]): ChecksumMismatch[] => {
      const plan = buildPlan(discovery, history, { ...options, skipChecksumValidation: true });
      fileValidationErrors(plan);
      const stored = new Map(
        history.filter((r) => r.migrationType === 'VERSIONED').map((r) => [r.version!, r.checksum]),
      );
      const found: ChecksumMismatch[] = [];
      for (const file of discovery.versioned) {
        if (!stored.has(file.version!)) continue;
        const sum = stored.get(file.version!) ?? null;
        if (sum !== file.checksum)
          found.push({
            version: file.version!,
            relativePath: file.relativePath,
            stored: sum,
            actual: file.checksum,
          });
      }
      return found;
    };
    const mismatches = mismatchesOf(rows);
    if (!fix || mismatches.length === 0) return report({ mismatches });
    const { value } = await withLock(ctx, conn, async () => {
      const underLock = mismatchesOf(await readHistory(conn));
      await conn.transaction(async () => {
        for (const m of underLock) await updateVersionChecksum(conn, m.version, m.actual);
      });
      return underLock;
    });
    return report({ mismatches: value, repaired: value.map((m) => m.version) });
  });
}

function missingFiles(
  discovery: Discovery,
  history: readonly HistoryRow[],
): { versions: string[]; repeatables: string[] } {
  const fileVersions = new Set(discovery.versioned.map((f) => f.version!));
  const ra = new Set(discovery.runsAlways.map((f) => f.filename));
  const roc = new Set(discovery.runsOnChange.map((f) => f.filename));
  const versions: string[] = [];
  const repeatables = new Set<string>();
  for (const row of history) {
    if (row.migrationType === 'VERSIONED') {
      if (row.version !== null && !fileVersions.has(row.version)) versions.push(row.version);
    } else if (!(row.migrationType === 'RUNS_ALWAYS' ? ra : roc).has(row.filename)) {
      repeatables.add(row.filename);
    }
  }
  // Versions in the order they were applied, like upstream's order_executed listing.
  return { versions, repeatables: [...repeatables].sort() };
}

export async function validateFiles(
  ctx: EngineContext,
  options: { fix?: boolean } = {},
): Promise<FilesReport> {
  const started = performance.now();
  const discovery = discoverMigrations(ctx.jetbaseDir);
  assertValidNames(discovery);
  const fix = Boolean(options.fix);
  const { dialect } = ctx;
  return withConnection(ctx, { readOnly: !fix }, async (conn) => {
    const report = (fields: Partial<FilesReport>): FilesReport => ({
      command: 'validate-files',
      target: dialect.target,
      fix,
      missingVersions: [],
      missingRepeatables: [],
      removedVersions: [],
      removedRepeatables: [],
      ...fields,
      durationMs: performance.now() - started,
    });
    const { rows } = await readHistoryIfExists(conn, dialect.sql);
    const missing = missingFiles(discovery, rows);
    if (!fix || (missing.versions.length === 0 && missing.repeatables.length === 0)) {
      return report({ missingVersions: missing.versions, missingRepeatables: missing.repeatables });
    }
    await ensureTables(conn, dialect);
    const { value } = await withLock(ctx, conn, async () => {
      const underLock = missingFiles(discovery, await readHistory(conn));
      await conn.transaction(async () => {
        for (const version of underLock.versions) await deleteVersionRow(conn, version);
      });
      await conn.transaction(async () => {
        for (const filename of underLock.repeatables) await deleteRepeatableRow(conn, filename);
      });
      return underLock;
    });
    return report({
      missingVersions: value.versions,
      missingRepeatables: value.repeatables,
      removedVersions: value.versions,
      removedRepeatables: value.repeatables,
    });
  });
}

/** fix-files then fix-checksums, as Jetbase's `fix` does. */
export async function fixAll(ctx: EngineContext, options: SkipOptions = {}): Promise<FixReport> {
  const started = performance.now();
  const files = await validateFiles(ctx, { fix: true });
  const checksums = await validateChecksums(ctx, { ...options, fix: true });
  return {
    command: 'fix',
    target: ctx.dialect.target,
    files,
    checksums,
    durationMs: performance.now() - started,
  };
}
