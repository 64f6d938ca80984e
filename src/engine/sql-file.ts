/**
 * Jetbase's line-based SQL file parser (docs/format.md, "Splitting a file into statements"). There is
 * no SQL tokenizer, on purpose: the checksum is defined over what this parser produces, so "smarter"
 * splitting would break compatibility with the Python CLI. The execution parser also reports what
 * Jetbase would silently drop (text no delimiter closes: an error) and a comment after the delimiter
 * on the same line (a warning), see docs/format.md, "What this project does differently".
 */
import type { ValidationProblem } from './errors.js';
import { PY_SPACE_CLASS, pyIgnoreCaseSource, pyRstrip, pyRstripChars, pyStrip, splitLines } from './pystr.js';

/**
 * Jetbase's `re.match(r"^--\s*jetbase:\s*delimiter=(.+)$", line, re.IGNORECASE)`, spelled so that
 * JavaScript matches exactly what Python's `re` does: Python's `\s` set, Python's case folding
 * (`ı`, `İ` and `ſ` count as letters of the directive), and `.` as "anything but `\n`" (a line read
 * from a file holds no `\n`, but may hold U+2028 and U+2029, which JavaScript's `.` refuses).
 */
const DELIMITER_DIRECTIVE = new RegExp(
  `^--${PY_SPACE_CLASS}*${pyIgnoreCaseSource('jetbase:')}${PY_SPACE_CLASS}*${pyIgnoreCaseSource('delimiter=')}([^\n]+)$`,
);
export const DEFAULT_DELIMITER = ';';

export function delimiterOf(lines: readonly string[]): string {
  for (const raw of lines) {
    const line = pyStrip(raw);
    const match = DELIMITER_DIRECTIVE.exec(line);
    if (match) return pyStrip(match[1]!);
    if (line !== '' && !line.startsWith('--')) break;
  }
  return DEFAULT_DELIMITER;
}

/** `-- rollback`, `--rollback`, `--   ROLLBACK  `; not `-- rollback;` or `---rollback`. `line` is already stripped as the mode requires. */
function isRollbackMarker(line: string): boolean {
  return line.startsWith('--') && pyStrip(line.slice(2)).toLowerCase() === 'rollback';
}

export interface ParsedStatement {
  readonly sql: string;
  /** 1-based line where the statement starts. */
  readonly line: number;
}

export interface ParsedSection {
  readonly statements: readonly ParsedStatement[];
  /** Text after the last delimiter, which Jetbase drops silently (for us an error). */
  readonly unterminated?: { readonly line: number; readonly text: string };
  /** Lines where a comment follows the delimiter on the same line, so the statement does not end there. */
  readonly trailingCommentLines: readonly number[];
}

export interface ParsedSqlFile {
  readonly delimiter: string;
  readonly upgrade: ParsedSection;
  readonly rollback: ParsedSection;
  /** 1-based line of the first rollback marker, if any. */
  readonly rollbackMarkerLine?: number;
}

type Mode = 'execution' | 'preview';

function parseSection(
  lines: readonly string[],
  delimiter: string,
  section: 'upgrade' | 'rollback',
  mode: Mode,
): ParsedSection {
  const statements: ParsedStatement[] = [];
  const trailingCommentLines: number[] = [];
  let current: string[] = [];
  let currentStart = 0;
  let inSection = section === 'upgrade';
  const joiner = mode === 'execution' ? ' ' : '\n';
  for (let i = 0; i < lines.length; i++) {
    const line = mode === 'execution' ? pyStrip(lines[i]!) : pyRstrip(lines[i]!);
    if (isRollbackMarker(line)) {
      if (section === 'upgrade') break;
      if (!inSection) {
        inSection = true;
        continue;
      }
    }
    if (!inSection) continue;
    const stripped = mode === 'execution' ? line : pyStrip(line);
    if (stripped === '' || stripped.startsWith('--')) continue;
    if (current.length === 0) currentStart = i + 1;
    current.push(line);
    if (line.endsWith(delimiter)) {
      const sql = pyStrip(pyRstripChars(current.join(joiner), delimiter));
      if (sql !== '') statements.push({ sql, line: currentStart });
      current = [];
    } else if (hasDelimiterBeforeComment(line, delimiter)) {
      trailingCommentLines.push(i + 1);
    }
  }
  const leftover = current.join(joiner);
  return {
    statements,
    trailingCommentLines,
    ...(current.length > 0 ? { unterminated: { line: currentStart, text: leftover } } : {}),
  };
}

/** `SELECT 1; -- note`: the delimiter is followed only by a `--` comment on the same line. */
function hasDelimiterBeforeComment(line: string, delimiter: string): boolean {
  const commentAt = line.indexOf('--');
  if (commentAt <= 0) return false;
  return pyRstrip(line.slice(0, commentAt)).endsWith(delimiter);
}

export function parseSqlFile(text: string, mode: Mode = 'execution'): ParsedSqlFile {
  const lines = splitLines(text);
  const delimiter = delimiterOf(lines);
  let rollbackMarkerLine: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = mode === 'execution' ? pyStrip(lines[i]!) : pyRstrip(lines[i]!);
    if (isRollbackMarker(line)) {
      rollbackMarkerLine = i + 1;
      break;
    }
  }
  return {
    delimiter,
    upgrade: parseSection(lines, delimiter, 'upgrade', mode),
    rollback: parseSection(lines, delimiter, 'rollback', mode),
    ...(rollbackMarkerLine === undefined ? {} : { rollbackMarkerLine }),
  };
}

/** Upgrade statements in execution mode: what runs and what the checksum covers (docs/format.md, "Checksums"). */
export function upgradeStatements(text: string): string[] {
  return parseSqlFile(text).upgrade.statements.map((s) => s.sql);
}

/** Rollback statements in execution mode: everything after the first rollback marker. */
export function rollbackStatements(text: string): string[] {
  return parseSqlFile(text).rollback.statements.map((s) => s.sql);
}

/** Problems a file has on its own (unterminated text, comments after a delimiter), with the file path given by the caller. */
export function sqlFileProblems(parsed: ParsedSqlFile, file: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [section, parsedSection] of [
    ['upgrade', parsed.upgrade],
    ['rollback', parsed.rollback],
  ] as const) {
    if (parsedSection.unterminated) {
      const excerpt = pyStrip(parsedSection.unterminated.text).slice(0, 80);
      problems.push({
        kind: 'unterminated-statement',
        severity: 'error',
        file,
        line: parsedSection.unterminated.line,
        message: `${file}:${parsedSection.unterminated.line}: the ${section} section ends with text that no '${parsed.delimiter}' closes ("${excerpt}"); Jetbase would silently skip it. End the statement with '${parsed.delimiter}'.`,
      });
    }
    for (const line of parsedSection.trailingCommentLines) {
      problems.push({
        kind: 'trailing-comment',
        severity: 'warning',
        file,
        line,
        message: `${file}:${line}: a comment follows '${parsed.delimiter}' on the same line, so the statement does not end there and continues into the next line (Jetbase parses it the same way). Move the comment to its own line.`,
      });
    }
  }
  return problems;
}
