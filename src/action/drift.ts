/**
 * Drift explained on a pull request: each applied file whose checksum no longer matches is read
 * from the base branch (git when the checkout has the base commit, else the contents API) and
 * compared, so the comment can show the diff of its upgrade section and say whether this pull
 * request made the change; a missing file is looked up on the base branch the same way.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import {
  checksumOfStatements,
  parseMigrationName,
  parseSqlFile,
  type StatusReport,
  type ValidationProblem,
} from '../engine/index.js';
import type { DriftExplanation } from '../report/drift.js';
import { unifiedDiff } from '../report/unified-diff.js';
import { baseBranchFiles } from './base-branch.js';
import { httpStatus } from './github-client.js';

const run = promisify(execFile);

/** Where the base branch is: the same as for the offline order check. */
export type DriftSource = Parameters<typeof baseBranchFiles>[0];

/** A file on the base branch: its text, absent (known), or unknown with why. */
type BaseText =
  { readonly found: true; readonly text: string } | { readonly found: false; readonly why?: string };

async function baseText(source: DriftSource, file: string): Promise<BaseText> {
  if (!source.baseSha) return { found: false, why: 'the event names no base commit' };
  try {
    const { stdout } = await run('git', ['show', `${source.baseSha}:./${file}`], {
      cwd: source.jetbaseDir,
      timeout: 15_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { found: true, text: stdout };
  } catch {
    // Not in the checkout (shallow), or not on the base branch: the API tells which.
  }
  if (source.client === undefined) return { found: false, why: 'the base commit is not in the checkout' };
  const prefix = source.repoDirectory === '.' ? '' : `${source.repoDirectory}/`;
  try {
    const { data } = await source.client.rest.repos.getContent({
      owner: source.owner,
      repo: source.repo,
      path: `${prefix}${file}`,
      ref: source.baseSha,
      mediaType: { format: 'raw' },
    });
    return typeof data === 'string' ? { found: true, text: data } : { found: false, why: 'not a file' };
  } catch (error) {
    if (httpStatus(error) === 404) return { found: false };
    return { found: false, why: `the GitHub API did not answer (${httpStatus(error) ?? 'no response'})` };
  }
}

/** SQL with comments dropped and whitespace runs collapsed, string literals and quoted names kept as they are. */
export function normalizedSql(sql: string): string {
  let out = '';
  let i = 0;
  const space = () => {
    if (!out.endsWith(' ')) out += ' ';
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      space();
    } else if (/\s/.test(c)) {
      space();
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
    } else {
      out += c;
      i++;
    }
  }
  return out.trim();
}

function upgradeSection(text: string): string {
  const marker = parseSqlFile(text).rollbackMarkerLine;
  return marker === undefined
    ? text
    : text
        .split('\n')
        .slice(0, marker - 1)
        .join('\n');
}

function statementsOf(text: string): string[] {
  return parseSqlFile(text).upgrade.statements.map((s) => s.sql);
}

/** Pure: a changed file against the base branch's text and the stored checksum. */
export function explainChange(args: {
  readonly file: string;
  readonly version: string;
  readonly stored: string | null;
  readonly headText: string;
  readonly base: BaseText;
}): DriftExplanation {
  const { file, version, headText, base } = args;
  if (!base.found)
    return {
      kind: 'changed',
      file,
      version,
      origin: 'unknown',
      whitespaceOnly: false,
      diff: undefined,
      note: base.why ?? 'the base branch has no such file',
    };
  const baseSum = checksumOfStatements(statementsOf(base.text));
  const headSum = checksumOfStatements(statementsOf(headText));
  const origin = baseSum === args.stored ? 'this-pr' : baseSum === headSum ? 'base' : 'both';
  const normalized = (text: string) => statementsOf(text).map(normalizedSql).join(';\n');
  return {
    kind: 'changed',
    file,
    version,
    origin,
    // Only where the base branch holds what was applied can the change be judged against it.
    whitespaceOnly: origin === 'this-pr' && normalized(base.text) === normalized(headText),
    diff: unifiedDiff(upgradeSection(base.text), upgradeSection(headText), {
      a: `a/${file}`,
      b: `b/${file}`,
    }),
  };
}

function isDrift(problem: ValidationProblem): boolean {
  return (
    problem.severity === 'error' && (problem.kind === 'checksum-mismatch' || problem.kind === 'missing-file')
  );
}

/** Never throws: an explanation that cannot be made leaves the plain problem list. */
export async function explainDrift(report: StatusReport, source: DriftSource): Promise<DriftExplanation[]> {
  try {
    return await explainAll(report, source);
  } catch {
    return [];
  }
}

async function explainAll(report: StatusReport, source: DriftSource): Promise<DriftExplanation[]> {
  const drifted = report.problems.filter(isDrift);
  if (drifted.length === 0) return [];
  const explanations: DriftExplanation[] = [];
  let basePaths: readonly string[] | undefined | null = null;
  for (const problem of drifted) {
    const version = problem.version ?? '';
    if (problem.kind === 'checksum-mismatch' && problem.file !== undefined) {
      const stored = report.plan.history.find(
        (r) => r.migrationType === 'VERSIONED' && r.version === version,
      );
      explanations.push(
        explainChange({
          file: problem.file,
          version,
          stored: stored?.checksum ?? null,
          headText: readFileSync(path.join(source.jetbaseDir, problem.file), 'utf8'),
          base: await baseText(source, problem.file),
        }),
      );
      continue;
    }
    if (basePaths === null) {
      const listing = await baseBranchFiles(source);
      basePaths = listing.ok ? listing.paths : undefined;
    }
    const onBase = basePaths?.find((p) => {
      const name = parseMigrationName(p.slice(p.lastIndexOf('/') + 1));
      return name.ok && name.type === 'VERSIONED' && name.version === version;
    });
    explanations.push({
      kind: 'missing',
      file: onBase,
      version,
      origin: basePaths === undefined ? 'unknown' : onBase === undefined ? 'base' : 'this-pr',
      whitespaceOnly: false,
      diff: undefined,
      ...(basePaths === undefined ? { note: 'the base branch could not be listed' } : {}),
    });
  }
  return explanations;
}
