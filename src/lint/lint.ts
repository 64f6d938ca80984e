/**
 * The migration linter (README.md, "Lint"): every pending statement as Jetbase splits it, read by a
 * real parser for its database, checked by rules that see the whole pending set in order (an index
 * on a table created earlier in the set is fine). Parsers load only when this runs.
 */
import type { DialectName } from '../engine/dialect.js';
import { transactionOffIn } from '../engine/directives.js';
import { allowancesOf } from './allow.js';
import type { Analysis, Observation, StatementFacts } from './facts.js';
import { analyzePostgres, loadPostgresParser } from './postgresql.js';
import { RULES } from './rules.js';
import { analyzeWithSqlParser, loadSqlParser } from './sqlparser.js';
import type { AllowedFinding, LintFinding, LintInput, LintReport, RuleId } from './types.js';

/** Where DDL commits on its own, so a file mixing DDL with other statements can stop half applied. */
const IMPLICIT_COMMIT: ReadonlySet<DialectName> = new Set(['mysql', 'snowflake', 'databricks']);

const STATEMENT_SHOWN = 2000;

function messageOf(rule: RuleId, subject: string): string {
  const on = subject === '' ? '' : ` ${subject}`;
  switch (rule) {
    case 'drop-table':
      return `Drops table${on}.`;
    case 'drop-column':
      return subject.includes('.') ? `Drops column ${subject}.` : `Drops a column of${on || ' a table'}.`;
    case 'drop-schema':
      return `Drops schema or database${on}.`;
    case 'truncate':
      return `Truncates${on || ' a table'}.`;
    case 'delete-without-where':
      return `DELETE without WHERE${subject === '' ? '' : ` on ${subject}`}.`;
    case 'update-without-where':
      return `UPDATE without WHERE${subject === '' ? '' : ` on ${subject}`}.`;
    case 'create-or-replace-table':
      return `CREATE OR REPLACE TABLE${on} replaces the table and its data.`;
    case 'create-index-not-concurrently':
      return `CREATE INDEX on existing table${on} without CONCURRENTLY.`;
    case 'set-not-null':
      return `SET NOT NULL on${on}.`;
    case 'constraint-not-valid':
      return `Adds a constraint on${on} without NOT VALID.`;
    case 'alter-column-type':
      return `Changes a column type on${on}.`;
    case 'add-required-column':
      return `Adds NOT NULL column${on} without a default to an existing table.`;
    case 'add-column-volatile-default':
      return `Adds column${on} with a volatile default.`;
    case 'rename-column':
      return `Renames a column of${on}.`;
    case 'rename-table':
      return `Renames table${on}.`;
    case 'non-transactional-statement':
      return `${subject} cannot run inside a transaction, and this file runs in one.`;
    case 'implicit-commit':
      return `This file mixes DDL with other statements; DDL commits implicitly${on ? ` (${subject})` : ''}.`;
    case 'syntax-error':
      return `Syntax error: ${subject}.`;
    case 'not-analyzed':
      return `Not analyzed (the parser could not read it: ${subject}); keyword checks only.`;
  }
}

export interface LintOptions {
  readonly dialect: DialectName;
}

interface Analyzer {
  analyze(sql: string): Analysis;
}

async function analyzerFor(dialect: DialectName): Promise<Analyzer> {
  if (dialect === 'postgresql') {
    const parser = await loadPostgresParser();
    return { analyze: (sql) => analyzePostgres(parser, sql) };
  }
  const parser = await loadSqlParser();
  return { analyze: (sql) => analyzeWithSqlParser(parser, sql, dialect) };
}

/** Lints `files` (the pending set, in the order they would run). Never throws on file content. */
export async function lintMigrations(files: readonly LintInput[], options: LintOptions): Promise<LintReport> {
  const { dialect } = options;
  // On the first statement: with nothing pending (validate when all is applied) no parser loads.
  let analyzer: Analyzer | undefined;
  const findings: LintFinding[] = [];
  const allowed: AllowedFinding[] = [];
  const createdInSet = new Set<string>();
  let statements = 0;

  for (const file of files) {
    const allowances = allowancesOf(file.text);
    const transactionOff = transactionOffIn(file.text);
    const report = (rule: RuleId, line: number, sql: string, subject: string) => {
      const scope = allowances.file.has(rule)
        ? 'file'
        : allowances.forStatement(line).has(rule)
          ? 'statement'
          : undefined;
      if (scope !== undefined) {
        allowed.push({ file: file.relativePath, line, rule, scope });
        return;
      }
      const { severity, why, safer } = RULES[rule];
      findings.push({
        file: file.relativePath,
        line,
        rule,
        severity,
        message: messageOf(rule, subject),
        statement: sql.length > STATEMENT_SHOWN ? `${sql.slice(0, STATEMENT_SHOWN)}…` : sql,
        why,
        safer,
      });
    };
    let firstDdl: { line: number; sql: string } | undefined;
    let hasOther = false;
    for (const { sql, line } of file.parsed.upgrade.statements) {
      statements++;
      analyzer ??= await analyzerFor(dialect);
      let analysis: Analysis;
      try {
        analysis = analyzer.analyze(sql);
      } catch (error) {
        // A parser that crashes on odd input must not stop the check.
        analysis = {
          kind: 'not-analyzed',
          message: error instanceof Error ? error.message : String(error),
          facts: [],
        };
      }
      if (analysis.kind === 'syntax-error') {
        report('syntax-error', line, sql, analysis.message);
        continue;
      }
      if (analysis.kind === 'not-analyzed') report('not-analyzed', line, sql, analysis.message);
      for (const facts of analysis.facts) {
        for (const observation of applicable(facts, createdInSet, transactionOff))
          report(observation.rule, line, sql, observation.subject);
        for (const table of facts.creates) createdInSet.add(table);
        if (facts.category === 'ddl') firstDdl ??= { line, sql };
        if (facts.category === 'dml') hasOther = true;
      }
    }
    if (IMPLICIT_COMMIT.has(dialect) && !transactionOff && firstDdl !== undefined && hasOther)
      report('implicit-commit', firstDdl.line, firstDdl.sql, '');
  }
  const order = new Map(files.map((file, index) => [file.relativePath, index]));
  findings.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line);
  return { dialect, findings, allowed, files: files.length, statements };
}

function applicable(
  facts: StatementFacts,
  createdInSet: ReadonlySet<string>,
  transactionOff: boolean,
): Observation[] {
  return facts.observations.filter((observation) => {
    // Locking a table the pending set created is harmless: nobody uses it yet.
    if (observation.lockedTable !== undefined && createdInSet.has(observation.lockedTable)) return false;
    if (observation.rule === 'non-transactional-statement' && transactionOff) return false;
    return true;
  });
}
