/**
 * `--json`: the engine report as one JSON document. Errors become {code, message, hint?,
 * problems?} and migration files their identifying fields (never their text), so the document
 * stays small and holds nothing the human output would not show.
 */
import type { MigrationFile } from '../engine/discovery.js';
import {
  HistoryWriteError,
  MigrationOutcomeUnknownError,
  JetbaseError,
  MigrationError,
  ValidationError,
  type MigrationSection,
  type ValidationProblem,
} from '../engine/errors.js';

export interface ErrorJson {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly problems?: readonly ValidationProblem[];
  /** For a failed migration: the file, its section and the statement that failed. */
  readonly file?: string;
  readonly section?: MigrationSection;
  readonly statementIndex?: number;
  readonly line?: number;
  readonly statement?: string;
  readonly committedStatements?: readonly string[];
}

export function errorJson(error: unknown): ErrorJson {
  if (error instanceof ValidationError)
    return { code: error.code, message: error.message, problems: error.problems };
  if (error instanceof MigrationError) {
    return {
      code: error.code,
      message: error.message,
      file: error.file,
      section: error.section,
      statementIndex: error.statementIndex,
      ...(error.line === undefined ? {} : { line: error.line }),
      statement: error.statement,
      committedStatements: error.committedStatements,
    };
  }
  if (error instanceof HistoryWriteError || error instanceof MigrationOutcomeUnknownError)
    return { code: error.code, message: error.message, file: error.file, section: error.section };
  if (error instanceof JetbaseError)
    return {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    };
  return { code: 'ERROR', message: error instanceof Error ? error.message : String(error) };
}

function isMigrationFile(value: object): value is MigrationFile {
  return 'absolutePath' in value && 'parsed' in value && 'upgradeStatements' in value;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return errorJson(value);
  if (typeof value === 'object' && value !== null && isMigrationFile(value)) {
    return {
      filename: value.filename,
      relativePath: value.relativePath,
      type: value.type,
      version: value.version,
      description: value.description,
      checksum: value.checksum,
    };
  }
  return value;
}

/** One JSON document; `ok` is present on every report (true unless the report says otherwise). */
export function reportJson(report: object): string {
  return `${JSON.stringify({ ok: true, ...report }, replacer, 2)}\n`;
}

export function failureJson(command: string, error: unknown): string {
  return `${JSON.stringify({ command, ok: false, error: errorJson(error) }, null, 2)}\n`;
}
