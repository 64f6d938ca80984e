/**
 * The plan hash and the reviewed-plan check in the report, and the "Deployed" receipt a deploy
 * adds to its pull request's comment. Pure: the time and the run link come in with the arguments.
 */
import type { MigrationOutcome, UpgradeReport } from '../engine/types.js';
import { formatDuration } from './duration.js';
import { codeSpan, escapeText, fencedBlock } from './escape.js';
import type { RunContext, RunOutcome } from './run-report.js';
import { plural } from './verdict.js';

export function planHashLines(context: RunContext): string[] {
  if (context.planHash === undefined) return [];
  return [`<sub>Plan hash ${codeSpan(context.planHash)}</sub>`, ''];
}

function quoted(
  kind: 'WARNING' | 'NOTE' | 'CAUTION',
  first: string,
  items: readonly string[] = [],
): string[] {
  return [`> [!${kind}]`, `> ${first}`, ...items.map((item) => `> - ${escapeText(item)}`), ''];
}

export function planCheckLines(context: RunContext): string[] {
  const check = context.planCheck;
  if (check === undefined) return [];
  switch (check.kind) {
    case 'matched':
      return [`✅ This deploy runs the plan reviewed in \\#${check.pullRequest}.`, ''];
    case 'differs': {
      const first = `The plan differs from the one reviewed in \\#${check.pullRequest} (reviewed ${codeSpan(check.reviewedHash.slice(0, 12))}, now ${codeSpan(check.planHash.slice(0, 12))})${check.refused ? '; nothing was applied.' : '; it ran anyway (require-reviewed-plan is false).'}`;
      return quoted(check.refused ? 'CAUTION' : 'WARNING', first, check.differences);
    }
    case 'no-review':
      return quoted(
        check.refused ? 'CAUTION' : 'NOTE',
        `${escapeText(check.reason)}${check.refused ? ' Nothing was applied (require-reviewed-plan is true).' : ''}`,
      );
  }
}

/** Where the receipt starts in the comment; everything after it is replaced by the next deploy. */
export const DEPLOYED_MARKER = '<!-- jetbase-action:deployed -->';
/** How a successful receipt's headline starts (a re-run after it is no surprise). */
export const DEPLOYED_SUCCESS = '**✅ Deployed';

export interface Deployment {
  readonly environment: string;
  /** ISO time of the deploy. */
  readonly at: string;
  readonly runUrl: string | undefined;
  readonly outcome: RunOutcome;
}

const RESULT_WORDS: Readonly<Record<MigrationOutcome['status'], string>> = {
  applied: '✅ applied',
  'rolled-back': '↩️ rolled back',
  failed: '❌ failed',
};

function headline(deployment: Deployment): string {
  const { outcome } = deployment;
  if (outcome.command !== 'upgrade') return '❌ The deploy did not run';
  if (outcome.error?.code === 'PLAN_NOT_REVIEWED') return '❌ The deploy was refused: not the reviewed plan';
  if (!outcome.ok) return '❌ The deploy failed';
  if (outcome.upToDate) return '✅ Deployed: nothing to apply, the database was up to date';
  return `✅ Deployed ${plural(outcome.outcomes.length, 'migration')}`;
}

function outcomeRows(report: UpgradeReport): string[] {
  if (report.outcomes.length === 0) return [];
  return [
    '| # | File | Result | Time |',
    '| ---: | --- | --- | ---: |',
    ...report.outcomes.map(
      (o, i) =>
        `| ${i + 1} | ${codeSpan(o.relativePath)} | ${RESULT_WORDS[o.status]} | ${formatDuration(o.durationMs)} |`,
    ),
    '',
  ];
}

/** The receipt, at most `maxLength` characters (its table is cut first). */
export function deployedSection(deployment: Deployment, maxLength = 20_000): string {
  const { outcome } = deployment;
  const when = deployment.at
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/Z$/, ' UTC');
  const run = deployment.runUrl === undefined ? '' : ` · [run](${deployment.runUrl})`;
  const where = deployment.environment === '' ? '' : ` to ${escapeText(deployment.environment)}`;
  const lines = [
    DEPLOYED_MARKER,
    '#### Deployed',
    '',
    `**${headline(deployment)}**${where} · ${when}${run}`,
    '',
  ];
  const table = outcome.command === 'upgrade' ? outcomeRows(outcome) : [];
  const error =
    outcome.command === 'error'
      ? outcome.message
      : outcome.command === 'upgrade' && outcome.error !== undefined
        ? outcome.error.message
        : undefined;
  const tail = error === undefined ? [] : [fencedBlock(error.slice(0, 4_000), 'text'), ''];
  const full = [...lines, ...table, ...tail].join('\n');
  if (full.length <= maxLength) return full.trimEnd();
  return [...lines, ...tail, `${plural(table.length - 3, 'file')}: see the run.`]
    .join('\n')
    .slice(0, maxLength);
}
