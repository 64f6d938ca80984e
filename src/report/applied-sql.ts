/**
 * The SQL that ran, per applied (or failed) file, for the upgrade summary, fitted into a budget of
 * characters: when the summary would exceed GitHub's limit, the largest blocks are shortened first
 * (every block keeps at least as much as the budget allows the largest), each saying so.
 */
import { executionOrder } from '../engine/plan.js';
import type { RollbackReport, UpgradeReport } from '../engine/types.js';

export interface RanSql {
  readonly relativePath: string;
  /** The statements as shown; the last one ends with a note when shortened. */
  readonly statements: readonly string[];
  readonly terminator: string;
  /** How many statements ran. */
  readonly total: number;
  readonly shortened: boolean;
}

function terminatorOf(report: UpgradeReport | RollbackReport, relativePath: string): string {
  if (report.command !== 'upgrade') return ';';
  const pending = executionOrder(report.plan).find((p) => p.file.relativePath === relativePath);
  return pending?.file.parsed.delimiter ?? ';';
}

function textLength(statements: readonly string[], terminator: string): number {
  return statements.reduce((sum, sql) => sum + sql.length + terminator.length + 2, 0);
}

/** Total characters of SQL the outcomes would show unshortened, each block at most `blockMax`. */
export function ranSqlLength(report: UpgradeReport | RollbackReport, blockMax = Infinity): number {
  return report.outcomes.reduce(
    (sum, o) => sum + Math.min(blockMax, textLength(o.statements, terminatorOf(report, o.relativePath))),
    0,
  );
}

/** The largest size every block may keep so that all of them fit in `budget` (water-filling). */
function capFor(lengths: readonly number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let remaining = budget;
  for (let i = 0; i < sorted.length; i++) {
    const share = Math.floor(remaining / (sorted.length - i));
    if (sorted[i]! > share) return share;
    remaining -= sorted[i]!;
  }
  return Infinity;
}

function shorten(statements: readonly string[], terminator: string, cap: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const sql of statements) {
    const room = cap - used;
    if (sql.length + terminator.length + 2 <= room) {
      kept.push(sql);
      used += sql.length + terminator.length + 2;
      continue;
    }
    if (room > 0) kept.push(sql.slice(0, room));
    break;
  }
  const omitted = textLength(statements, terminator) - used;
  const note = `\n-- … shortened to fit the summary: ${omitted} more characters, see the file`;
  if (kept.length === 0) return [note.trimStart()];
  kept[kept.length - 1] = `${kept[kept.length - 1]}${note}`;
  return kept;
}

export function ranSql(report: UpgradeReport | RollbackReport, budget = Infinity): RanSql[] {
  const entries = report.outcomes
    .filter((o) => o.statements.length > 0)
    .map((o) => ({ outcome: o, terminator: terminatorOf(report, o.relativePath) }));
  const cap = capFor(
    entries.map((e) => textLength(e.outcome.statements, e.terminator)),
    budget,
  );
  return entries.map(({ outcome, terminator }) => {
    const shortened = textLength(outcome.statements, terminator) > cap;
    return {
      relativePath: outcome.relativePath,
      statements: shortened ? shorten(outcome.statements, terminator, cap) : outcome.statements,
      terminator,
      total: outcome.statements.length,
      shortened,
    };
  });
}
