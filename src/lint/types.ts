/** What the migration linter reports (README.md, "Lint"). Rule ids are an interface: never rename one. */
import type { DialectName } from '../engine/dialect.js';

export type RuleId =
  | 'drop-table'
  | 'drop-column'
  | 'drop-schema'
  | 'truncate'
  | 'delete-without-where'
  | 'update-without-where'
  | 'create-or-replace-table'
  | 'create-index-not-concurrently'
  | 'set-not-null'
  | 'constraint-not-valid'
  | 'alter-column-type'
  | 'add-required-column'
  | 'add-column-volatile-default'
  | 'rename-column'
  | 'rename-table'
  | 'non-transactional-statement'
  | 'implicit-commit'
  | 'syntax-error'
  | 'not-analyzed';

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintFinding {
  /** Relative to the jetbase directory: `migrations/V2__x.sql`. */
  readonly file: string;
  /** 1-based line where the statement starts. */
  readonly line: number;
  readonly rule: RuleId;
  readonly severity: LintSeverity;
  /** One sentence naming what the statement does. */
  readonly message: string;
  /** The statement as Jetbase runs it. */
  readonly statement: string;
  /** Why it hurts. */
  readonly why: string;
  /** The safer way. */
  readonly safer: string;
}

/** A rule a `-- jetbase-lint: allow` comment turned off, and where. */
export interface AllowedFinding {
  readonly file: string;
  readonly line: number;
  readonly rule: RuleId;
  /** Where the allow comment is: the file's header (whole file) or the lines above the statement. */
  readonly scope: 'file' | 'statement';
}

export interface LintReport {
  readonly dialect: DialectName;
  /** Findings in file order, then line order. */
  readonly findings: readonly LintFinding[];
  readonly allowed: readonly AllowedFinding[];
  /** How many files and statements were looked at. */
  readonly files: number;
  readonly statements: number;
}

/** A migration as the linter needs it (a MigrationFile has all of this). */
export interface LintInput {
  readonly relativePath: string;
  readonly text: string;
  readonly parsed: {
    readonly upgrade: { readonly statements: readonly { readonly sql: string; readonly line: number }[] };
  };
}

export function lintErrorCount(report: LintReport): number {
  return report.findings.filter((finding) => finding.severity === 'error').length;
}
